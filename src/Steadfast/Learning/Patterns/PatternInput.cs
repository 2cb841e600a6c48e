namespace Steadfast;

/// <summary>What the analyzer knows about one operation when it is asked to analyse it. All lists are oldest first.</summary>
/// <param name="Operation">The operation (or a description of the list analysed).</param>
/// <param name="Window">Its failures inside the pattern window.</param>
/// <param name="Outcomes">Its successes and failures inside the pattern window.</param>
/// <param name="TrailingRun">Its failures since its last success, of any age the analyzer still remembers.</param>
/// <param name="ServiceFailures">Failures of every operation inside the pattern window (for the unstable-service pattern).</param>
/// <param name="Now">The time of the analysis.</param>
internal sealed record PatternInput(
    string Operation,
    IReadOnlyList<Failure> Window,
    IReadOnlyList<RecordedOutcome> Outcomes,
    IReadOnlyList<Failure> TrailingRun,
    IReadOnlyList<Failure> ServiceFailures,
    DateTimeOffset Now);
