using Microsoft.CodeAnalysis.CSharp;

namespace Steadfast.AI.Creative;

/// <summary>The static validation's verdict on a program: allowed, or the violations found (each with its line).</summary>
internal sealed record CodeVerdict(IReadOnlyList<string> Violations, CSharpCompilation? Compilation)
{
    public bool Allowed => Violations.Count == 0 && Compilation is not null;

    /// <summary>The reason of a refusal, for events and logs: the first few violations.</summary>
    public string Reason => Allowed ? "allowed" : "refused by validation: " + string.Join("; ", Violations.Take(5)) + (Violations.Count > 5 ? $"; and {Violations.Count - 5} more" : string.Empty);
}
