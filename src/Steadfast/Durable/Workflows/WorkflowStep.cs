namespace Steadfast;

/// <summary>What a running workflow step knows about itself; pass <see cref="IdempotencyKey"/> to services that deduplicate.</summary>
/// <param name="WorkflowId">The workflow's id.</param>
/// <param name="Name">The step's name.</param>
/// <param name="Occurrence">How many steps of the same name ran before this one in the workflow, 0 for the first.</param>
/// <param name="RunNumber">Which run of the workflow this is, 1 for the first.</param>
public sealed record WorkflowStep(string WorkflowId, string Name, int Occurrence, int RunNumber)
{
    /// <summary>The step's key within the workflow: <c>name#occurrence</c>.</summary>
    public string Key => WorkflowContext.StepKey(Name, Occurrence);

    /// <summary>
    /// The same on every run of this step of this workflow, including the re-run of a step interrupted by a crash:
    /// <c>workflowId/name#occurrence</c>. Steps run at least once, so side effects should be keyed by it.
    /// </summary>
    public string IdempotencyKey => WorkflowId + "/" + Key;
}
