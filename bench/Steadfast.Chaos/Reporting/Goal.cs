namespace Steadfast.Chaos.Reporting;

/// <summary>One goal of issue 10, checked on the run: met or missed (by how much), with the numbers.</summary>
/// <param name="Met">Whether the run met it; <see langword="null"/> when a competitor it needs did not run.</param>
/// <param name="Text">The goal and the numbers.</param>
internal sealed record Goal(bool? Met, string Text)
{
    public string Verdict => Met switch
    {
        true => "met",
        false => "missed",
        null => "n/a",
    };
}
