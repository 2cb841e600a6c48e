using System.Text.Json;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Demo.Creative;

/// <summary>
/// <c>steadfast demo --creative</c>: every simulated provider fails; a scripted model (said so on screen) proposes tool calls,
/// the solver refuses the unknown one and runs the cache read, which succeeds; on the next call the engine reuses it without
/// asking the model. The proposals are kept in the --db file, so a second run reuses the one that worked without asking the
/// model at all.
/// </summary>
internal static class CreativeDemo
{
    public const string CacheTool = "fetch_cache_wider";
    private const string Operation = "get-profile";

    public static async Task<int> RunAsync(CliContext context, string database, bool json, CancellationToken cancellationToken)
    {
        using var model = new ScriptedModel();
        await using var proposals = new SqliteCreativeProposalStore(DatabasePath.ForWriting(database));
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"key":{"type":"string","minLength":1}},"required":["key"],"additionalProperties":false}""").RootElement;
        var tool = new CreativeTool(CacheTool, "Reads the profile from the cache under a wider key (may be stale).", schema,
            (args, _) => ValueTask.FromResult<object?>("profile of user 42 (from the cache, key " + args.GetProperty("key").GetString() + ")"));
        var solver = new LlmCreativeSolver(model, [tool], proposalStore: proposals, timeProvider: context.TimeProvider);
        await solver.EnsureLoadedAsync(cancellationToken);
        var restored = solver.LearnedStrategies<string>(Operation).Count;
        var options = new ResilienceOptions { MaxAttempts = 1, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, EnableProgressTracking = false };
        await using var engine = new ResilienceEngine(options, timeProvider: context.TimeProvider) { CreativeSolver = solver };
        if (!json)
        {
            context.Console.MarkupLine("[yellow]The model in this demo is scripted: no LLM is called.[/] Every simulated provider fails.");
            context.Console.MarkupLineInterpolated($"Proposals are kept in '{proposals.Path}': {restored} that worked in an earlier run.");
        }

        var calls = new List<object>();
        for (var call = 1; call <= 2; call++)
        {
            // Each call is also given what the solver learned (in this run, or an earlier one: read from the database); the
            // engine ranks it with the providers by its record.
            Strategy<string>[] strategies = [.. solver.LearnedStrategies<string>(Operation), .. Providers()];
            var result = await engine.ExecuteWithAlternativesAsync(strategies, Operation, cancellationToken: cancellationToken);
            calls.Add(new { call, result.Success, result.StopReason, result.StrategyUsed, result.Value, ModelCalls = model.Calls });
            if (!json)
            {
                var outcome = result.Success ? "[green]succeeded[/]" : "[red]failed[/]";
                context.Console.MarkupLine($"Call {call}: {outcome} with {Markup.Escape(result.StrategyUsed ?? "-")} after {result.AttemptCount} attempt(s); "
                    + $"the model was asked {model.Calls} time(s) so far.");
            }
        }

        if (json)
        {
            context.WriteJson(new { scriptedModel = true, database = proposals.Path, restoredProposals = restored, modelCalls = model.Calls, calls, history = solver.History });
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("step", "strategy", "tool", "arguments", "reason");
        foreach (var e in solver.History)
        {
            table.AddRow(Markup.Escape(e.Kind.ToString()), Markup.Escape(e.StrategyName ?? string.Empty), Markup.Escape(e.Tool ?? string.Empty),
                Markup.Escape(e.Arguments ?? string.Empty), Markup.Escape(e.Reason ?? e.Rationale ?? string.Empty));
        }

        context.Console.MarkupLine("What the creative solver tried:");
        context.Console.Write(table);
        if (restored > 0 && model.Calls == 0)
        {
            context.Console.MarkupLine("[green]No LLM call in this run:[/] the proposal that worked in an earlier run was read back from the database and "
                + "reused under the same strategy name. Run with another --db to see the model asked again.");
        }
        else
        {
            context.Console.MarkupLine("The second call reused the proposal that worked, under the same strategy name: the engine ranked it first by what it "
                + "learned (LlmCreativeSolver.LearnedStrategies), and the model was not asked again. It is kept in the database: run the demo again "
                + "on the same --db and the model is not asked at all.");
        }
        return ExitCodes.Success;
    }

    private static Strategy<string>[] Providers() =>
    [
        new("provider-a", _ => Task.FromException<string>(new TimeoutException("provider-a timed out (simulated)"))),
        new("provider-b", _ => Task.FromException<string>(new HttpRequestException("provider-b: 503 Service Unavailable (simulated)"))),
    ];
}
