using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Steadfast.Cli.Tests.Demo;

// The report tells the truth: on virtual-time runs (the same every time), every figure reconciles with the others, with what
// the simulated providers saw, and with `steadfast analytics`.
[Collection(VirtualTimeCollection.Name)]
public sealed partial class DemoReportTests(DemoRuns runs) : IClassFixture<DemoRuns>
{
    public static TheoryData<string> Modes => new() { "sequential", "race" };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Totals_AnyRun_AddUp(string mode)
    {
        foreach (var run in runs[mode].Both)
        {
            var t = run.GetProperty("totals");
            Assert.True(Int(t, "calls") > 0);
            Assert.Equal(Int(t, "calls"), Int(t, "succeeded") + Int(t, "failed"));
            Assert.Equal(Int(t, "failed"), t.GetProperty("failedBy").EnumerateObject().Sum(p => p.Value.GetInt32()));
            Assert.Equal(Int(t, "attempts"), Int(t, "succeededAttempts") + Int(t, "failedAttempts") + Int(t, "cancelledAttempts"));
            Assert.Equal(Int(t, "cancelledAttempts"), Int(t, "cancelledLostRace") + Int(t, "cancelledOther"));
            Assert.Equal(Int(t, "succeeded"), Int(t, "succeededAttempts")); // one succeeded attempt per successful call
            Assert.InRange(Int(t, "rateLimitedAttempts"), 0, Int(t, "failedAttempts"));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Strategies_AnyRun_SumToTheTotals(string mode)
    {
        foreach (var run in runs[mode].Both)
        {
            var t = run.GetProperty("totals");
            var rows = t.GetProperty("strategies").EnumerateArray().ToList();
            Assert.Equal(4, rows.Count);
            foreach (var row in rows)
            {
                Assert.Equal(Int(row, "attempts"), Int(row, "succeeded") + Int(row, "failed") + Int(row, "cancelled"));
            }

            Assert.Equal(Int(t, "attempts"), rows.Sum(r => Int(r, "attempts")));
            Assert.Equal(Int(t, "succeededAttempts"), rows.Sum(r => Int(r, "succeeded")));
            Assert.Equal(Int(t, "failedAttempts"), rows.Sum(r => Int(r, "failed")));
            Assert.Equal(Int(t, "cancelledAttempts"), rows.Sum(r => Int(r, "cancelled")));
            Assert.Equal(Int(t, "succeeded"), rows.Sum(r => Int(r, "wins")));
            Assert.Equal(Int(t, "circuitSkips"), rows.Sum(r => Int(r, "circuitSkips")));
            Assert.Equal(Int(t, "blacklistSkips"), rows.Sum(r => Int(r, "blacklistSkips")));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void CallsCircuitsSaved_AnyRun_CountsCallsNeverMoreThanCalls(string mode)
    {
        foreach (var run in runs[mode].Both)
        {
            var t = run.GetProperty("totals");
            Assert.InRange(Int(t, "callsWithCircuitSkip"), 0, Math.Min(Int(t, "calls"), Int(t, "circuitSkips")));
            Assert.InRange(Int(t, "callsWithBlacklistSkip"), 0, Math.Min(Int(t, "calls"), Int(t, "blacklistSkips")));
        }

        // primary_api is down from 20 % of each run: its circuit saves calls in one run or the other, so the figure is not
        // always zero (which run depends on the mode: learning may rank primary_api down before its circuit opens).
        Assert.Contains(runs[mode].Both, run => Int(run.GetProperty("totals"), "callsWithCircuitSkip") > 0);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Providers_AnyRun_SawExactlyTheAttemptsTheEngineRecorded(string mode)
    {
        foreach (var run in runs[mode].Both)
        {
            var t = run.GetProperty("totals");
            var rows = t.GetProperty("strategies").EnumerateArray().ToDictionary(r => Str(r, "strategy"));
            var causes = t.GetProperty("failureCauses").EnumerateArray().ToList();
            int Failures(string strategy, int status) => causes
                .Where(c => Str(c, "strategy") == strategy && c.GetProperty("statusCode").ValueKind == JsonValueKind.Number && Int(c, "statusCode") == status)
                .Sum(c => Int(c, "count"));

            foreach (var provider in run.GetProperty("providers").EnumerateArray())
            {
                var name = Str(provider, "name");
                var counts = provider.GetProperty("counts");
                Assert.Equal(Int(rows[name], "attempts"), Long(counts, "requests"));
                Assert.Equal(Failures(name, 429), Long(counts, "rateLimited"));
                Assert.Equal(Failures(name, 503), Long(counts, "serverErrors"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void RootCause_AnyRun_CountsWhatItSays(string mode)
    {
        foreach (var run in runs[mode].Both)
        {
            var t = run.GetProperty("totals");
            var thisRun = run.GetProperty("thisRun");
            var root = thisRun.GetProperty("rootCause");
            var category = Str(root, "category");
            var ofCategory = t.GetProperty("failureCauses").EnumerateArray().Where(c => Str(c, "category") == category).Sum(c => Int(c, "count"));
            var others = thisRun.GetProperty("otherCauses").EnumerateArray().ToList();

            Assert.Equal(ofCategory, Int(root, "count"));
            Assert.Equal(Int(t, "failedAttempts"), Int(root, "outOf"));
            Assert.Equal(Int(t, "failedAttempts"), Int(root, "count") + others.Sum(c => Int(c, "count")));
            Assert.All(others, c => Assert.True(Int(c, "count") <= Int(root, "count")));
            Assert.StartsWith($"{Int(root, "count")} of {Int(t, "failedAttempts")} failed attempts were ", Str(root, "description"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void FailuresOnRecord_TwoRuns_ReconcileWithAnalytics(string mode)
    {
        var (first, second) = (runs[mode].First, runs[mode].Second);
        var (added1, total1) = OnRecord(first);
        var (added2, total2) = OnRecord(second);

        Assert.Equal(added1, total1);
        Assert.Equal(total1 + added2, total2);
        Assert.Equal(total2, runs[mode].Analytics.GetProperty("totalFailures").GetInt64());
        Assert.Equal(total1, second.GetProperty("startedFrom").GetProperty("failuresOnRecord").GetInt64());
        foreach (var (run, added) in new[] { (first, added1), (second, added2) })
        {
            // Every failed attempt is a failure on record (a 429 too: it is recorded, it only does not count against the strategy),
            // and so is every racer the engine cut unanswered: one of the strategy's lost races, recorded as a timeout.
            var t = run.GetProperty("totals");
            var cut = CutUnanswered(run);
            Assert.Equal(Int(t, "failedAttempts") + cut.Values.Sum(), added);
            var rows = t.GetProperty("strategies").EnumerateArray().ToDictionary(r => Str(r, "strategy"));
            Assert.All(cut, c => Assert.InRange(c.Value, 1, Int(rows[c.Key], "cancelled")));
            if (mode == "sequential")
            {
                Assert.Empty(cut); // nothing races, nothing is cut
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void FailureCauses_TwoRuns_ReconcileWithAnalyticsErrorTypesOperationsAndBlacklist(string mode)
    {
        var analytics = runs[mode].Analytics;
        var causes = runs[mode].Both.SelectMany(r => r.GetProperty("totals").GetProperty("failureCauses").EnumerateArray()).ToList();
        int Count(string errorType) => analytics.GetProperty("mostCommonErrors").EnumerateArray()
            .Where(e => Str(e, "errorType") == errorType).Sum(e => Int(e, "count"));

        // The providers fail in two ways: refused connections (HttpRequestException, network) and HTTP answers (ServiceException: 429, 503).
        Assert.Equal(causes.Where(c => Str(c, "category") == "network").Sum(c => Int(c, "count")), Count("HttpRequestException"));
        Assert.Equal(causes.Where(c => c.GetProperty("statusCode").ValueKind == JsonValueKind.Number).Sum(c => Int(c, "count")), Count("ServiceException"));
        var operation = Assert.Single(analytics.GetProperty("problematicOperations").EnumerateArray());
        Assert.Equal("fetch_quote", Str(operation, "operation"));
        Assert.Equal(analytics.GetProperty("totalFailures").GetInt64(), operation.GetProperty("failureCount").GetInt64());
        Assert.Equal(runs[mode].Second.GetProperty("blacklist").GetArrayLength(), Int(analytics, "blacklistedStrategies"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void FailureCauses_EachRun_EqualTheFailureRowsOnRecord(string mode)
    {
        // Each run's causes (kind, HTTP status, strategy: counted from the engine's attempts) are the failure rows it left, one for one.
        var secondStarted = runs[mode].Second.GetProperty("startedAt").GetDateTimeOffset();
        var rows = runs[mode].Failures;
        Assert.Equal(Int(runs[mode].Analytics, "totalFailures"), rows.Count);
        foreach (var (run, ofRun) in new[]
        {
            (runs[mode].First, rows.Where(r => r.GetProperty("timestamp").GetDateTimeOffset() < secondStarted)),
            (runs[mode].Second, rows.Where(r => r.GetProperty("timestamp").GetDateTimeOffset() >= secondStarted)),
        })
        {
            // The racers cut unanswered are recorded as timeouts: they are rows too, beside the failed attempts' causes.
            var causes = run.GetProperty("totals").GetProperty("failureCauses").EnumerateArray()
                .Select(c => (Key: $"{Str(c, "category")}/{Status(c)}/{Str(c, "strategy")}", Count: Int(c, "count")))
                .Concat(CutUnanswered(run).Select(c => (Key: $"timeout/-/{c.Key}", Count: c.Value)))
                .GroupBy(c => c.Key)
                .Select(g => $"{g.Key}={g.Sum(c => c.Count)}")
                .Order(StringComparer.Ordinal);
            var recorded = ofRun.GroupBy(r => $"{Str(r, "category")}/{Status(r)}/{Str(r, "strategy")}")
                .Select(g => $"{g.Key}={g.Count()}")
                .Order(StringComparer.Ordinal);
            Assert.Equal(causes, recorded);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ThisRun_SecondRun_AnalysesOnlyItsOwnFailures(string mode)
    {
        var second = runs[mode].Second;
        var (added, _) = OnRecord(second);

        Assert.Equal(Math.Min(added, 1000), Int(second.GetProperty("thisRun"), "failuresAnalysed"));
        Assert.Contains($"This run: pattern {Pattern(second)} (in this run's {added} recorded failures)", Flat(runs[mode].SecondText), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void SecondRun_Text_LabelsThePreviousRunApartAndComparesCallsAndP95(string mode)
    {
        var (first, second) = (runs[mode].First.GetProperty("totals"), runs[mode].Second.GetProperty("totals"));
        var text = Squeeze(runs[mode].SecondText);

        Assert.Contains("-> this run: calls served " + $"{Int(first, "calls")} -> {Int(second, "calls")}", text, StringComparison.Ordinal);
        Assert.Contains($"p95 {Ms(first, "p95Milliseconds")} -> {Ms(second, "p95Milliseconds")} ms", text, StringComparison.Ordinal);
        Assert.Contains($"p50 {Ms(first, "p50Milliseconds")} -> {Ms(second, "p50Milliseconds")} ms", text, StringComparison.Ordinal);
        Assert.Contains($"Previous run's failures: pattern {Pattern(runs[mode].First)}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Previous run", Flat(runs[mode].FirstText), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void RestoredCircuits_SecondRun_ShowTheStateTheFirstRunLeft(string mode)
    {
        var left = runs[mode].First.GetProperty("circuits").EnumerateArray()
            .Where(c => Str(c, "state") != "closed")
            .Select(c => Str(c, "name"))
            .ToList();
        var restored = runs[mode].Second.GetProperty("startedFrom").GetProperty("restoredCircuits").EnumerateArray().ToList();

        Assert.NotEmpty(left); // the first run leaves open circuits behind: the check below is not vacuous
        foreach (var name in left)
        {
            // Open and half-open circuits come back open (a half-open probe is not carried across a restart).
            var circuit = Assert.Single(restored, c => Str(c, "name") == name);
            Assert.Equal("open", Str(circuit, "state"));
            var shortName = name["fetch_quote/".Length..];
            Assert.Matches($@"{shortName} open until \d{{4}}-\d{{2}}-\d{{2}}T\d{{2}}:\d{{2}}:\d{{2}}Z", Squeeze(runs[mode].SecondText));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Text_AnyRun_EveryTimeCarriesItsDateAndNoSpanReadsZeroSeconds(string mode)
    {
        foreach (var text in new[] { runs[mode].FirstText, runs[mode].SecondText })
        {
            Assert.DoesNotMatch(TimeWithoutDate(), text);
            Assert.DoesNotMatch(ZeroSeconds(), text);
        }

        Assert.Matches(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", runs[mode].SecondText);
        if (runs[mode].Second.GetProperty("blacklist").GetArrayLength() > 0)
        {
            Assert.Contains("Expires (UTC)", runs[mode].SecondText, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Text_AnyRun_ShowsTheFiguresOfTheReport(string mode)
    {
        var t = runs[mode].First.GetProperty("totals");
        var text = Flat(runs[mode].FirstText);

        Assert.Contains($"Calls circuits saved │ {Int(t, "callsWithCircuitSkip")} of {Int(t, "calls")} calls skipped an open circuit ({Int(t, "circuitSkips")} skips)", Squeeze(text), StringComparison.Ordinal);
        Assert.Contains($"{Int(t, "attempts")}: {Int(t, "succeededAttempts")} succeeded, {Int(t, "failedAttempts")} failed, {Int(t, "cancelledAttempts")} cancelled", Squeeze(text), StringComparison.Ordinal);
        if (mode == "race")
        {
            // Racing sends attempts that lose: they are shown apart from the wasted ones.
            Assert.True(Int(t, "cancelledLostRace") > 0);
            Assert.Contains($"{Int(t, "cancelledLostRace")} lost the race to a faster strategy", Squeeze(text), StringComparison.Ordinal);
        }
    }

    private static (long Added, long Total) OnRecord(JsonElement run)
    {
        var onRecord = run.GetProperty("failuresOnRecord");
        return (onRecord.GetProperty("addedByThisRun").GetInt64(), onRecord.GetProperty("total").GetInt64());
    }

    private static string Pattern(JsonElement run)
    {
        var camel = Str(run.GetProperty("thisRun"), "pattern");
        return char.ToUpperInvariant(camel[0]) + camel[1..];
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static Dictionary<string, int> CutUnanswered(JsonElement run) =>
        run.GetProperty("failuresOnRecord").GetProperty("cutUnanswered").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static string Status(JsonElement e) =>
        e.TryGetProperty("statusCode", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32().ToString(CultureInfo.InvariantCulture) : "-";

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static string Ms(JsonElement e, string name) => e.GetProperty(name).GetDouble().ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The text without its line breaks (the console wraps long lines at 160 columns).</summary>
    private static string Flat(string text) => text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>The text on one line with runs of spaces made one (table cells are padded; a wrapped line may keep its trailing space).</summary>
    private static string Squeeze(string text) => Spaces().Replace(Flat(text), " ");

    [GeneratedRegex(@"(?<!\d{4}-\d{2}-\d{2}T)\b\d{2}:\d{2}:\d{2}")]
    private static partial Regex TimeWithoutDate();

    [GeneratedRegex(@"\b0 s\b")]
    private static partial Regex ZeroSeconds();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
