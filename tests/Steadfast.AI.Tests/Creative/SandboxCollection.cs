namespace Steadfast.AI.Tests.Creative;

/// <summary>
/// Tests that start sandboxes run one at a time: they share the sandbox user's process limit, and they count the machine's
/// sandbox processes before and after each run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
