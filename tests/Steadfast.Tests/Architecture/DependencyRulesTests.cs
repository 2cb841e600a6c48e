namespace Steadfast.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/architecture.md, checked on the source: every name in src/Steadfast is bound and traced
/// to the folder that declares it, and a reference the rule does not allow fails the build of trust. Probe files with
/// forbidden and allowed references show the check can fail.
/// </summary>
public sealed class DependencyRulesTests
{
    /// <summary>The shared basics: every feature may use them; they use nothing but each other.</summary>
    private static readonly string[] Basics = ["Errors", "Telemetry", "Validation", "Internal", "Redaction", "Events"];

    private static readonly string[] Primitives = ["CircuitBreaker", "Retry", "Timeout", "RateLimit", "Fallback"];

    /// <summary>What each folder may refer to besides itself and the basics (docs/architecture.md says why).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Errors"] = [], ["Telemetry"] = [], ["Validation"] = [], ["Internal"] = [], ["Redaction"] = [], ["Events"] = [],
        ["CircuitBreaker"] = [], ["Retry"] = [], ["Timeout"] = [], ["RateLimit"] = [], ["Fallback"] = [],
        ["Executor"] = Primitives,
        ["Learning"] = ["Composition"],
        ["Engine"] = ["Learning", "CircuitBreaker", "Retry", "Timeout", "Composition", "Health", "Modes"],
        ["Durable"] = ["Engine"],
        ["Sqlite"] = ["Learning", "CircuitBreaker", "Durable"],
        ["Composition"] = ["Sqlite", "Learning", "CircuitBreaker", "Durable"],
        ["DependencyInjection"] = ["*"],
        ["Health"] = ["CircuitBreaker"],
        ["Modes"] = ["Health"],
        ["Recovery"] = ["CircuitBreaker", "Health"],
        ["HealthChecks"] = ["Health", "CircuitBreaker", "Learning", "Durable"],
    };

    private static readonly (string Path, string Text)[] Probes =
    [
        ("Errors/ProbeErrorsToFeature.cs", "namespace Steadfast; internal static class ProbeA { public static string N(CircuitBreaker b) => b.Name; }"),
        ("Learning/ProbeLearningToSqlite.cs", "namespace Steadfast; internal static class ProbeB { public static object S() => new SqliteFailureStore(\"x.db\"); }"),
        ("Retry/ProbeRetryToEngine.cs", "namespace Steadfast; internal static class ProbeC { public static object O() => new ResilienceOptions(); }"),
        ("Engine/ProbeEngineToLearning.cs", "namespace Steadfast; internal static class ProbeD { public static bool H(FailureAnalyzer a) => a.PersistenceHealthy; }"),
    ];

    private static readonly Lazy<IReadOnlyList<SourceDependencies.Edge>> Edges = new(() =>
        SourceDependencies.Analyze(Path.Combine(SourceDependencies.RepositoryRoot(), "src", "Steadfast"), Probes));

    [Fact]
    public void Source_EveryReferenceBetweenFolders_IsAllowedByTheRule()
    {
        var violations = Violations(Edges.Value.Where(e => !IsProbe(e)));

        Assert.True(violations.Count == 0, "References the dependency rule forbids (docs/architecture.md):\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Source_EveryFolder_HasARule()
    {
        var root = Path.Combine(SourceDependencies.RepositoryRoot(), "src", "Steadfast");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();

        Assert.All(folders, f => Assert.True(Allowed.ContainsKey(f!), $"src/Steadfast/{f} has no dependency rule"));
    }

    [Theory]
    [InlineData("Errors/ProbeErrorsToFeature.cs", "CircuitBreaker")]
    [InlineData("Learning/ProbeLearningToSqlite.cs", "Sqlite")]
    [InlineData("Retry/ProbeRetryToEngine.cs", "Engine")]
    public void Probe_ForbiddenReference_IsReported(string probe, string target)
    {
        var violations = Violations(Edges.Value.Where(e => e.File == probe));

        Assert.Contains(violations, v => v.Contains($"-> {target}", StringComparison.Ordinal));
    }

    [Fact]
    public void Probe_AllowedReference_IsNotReported()
    {
        var edges = Edges.Value.Where(e => e.File == "Engine/ProbeEngineToLearning.cs").ToList();

        Assert.Contains(edges, e => e.To.Contains("Learning"));
        Assert.Empty(Violations(edges));
    }

    private static bool IsProbe(SourceDependencies.Edge edge) => Probes.Any(p => p.Path == edge.File);

    private static List<string> Violations(IEnumerable<SourceDependencies.Edge> edges)
        => edges
            .Where(e => !e.To.Any(to => MayUse(e.From, to)))
            .Select(e => $"{e.From} -> {string.Join('|', e.To)}: {e.File}:{e.Line} uses {e.Symbol}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static bool MayUse(string from, string to)
    {
        if (!Allowed.TryGetValue(from, out var allowed))
        {
            return false; // a folder without a rule may use nothing: Source_EveryFolder_HasARule names it
        }

        return Basics.Contains(to) || allowed.Contains("*") || allowed.Contains(to);
    }
}
