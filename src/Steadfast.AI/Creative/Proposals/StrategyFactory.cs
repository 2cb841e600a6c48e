using System.Text.Json;

namespace Steadfast.AI.Creative;

/// <summary>
/// Turns an accepted proposal into a <see cref="Strategy{T}"/> the engine runs, ranks and learns from under the proposal's
/// stable name; each run's outcome is also written into the <see cref="ProposalBook"/> (so the solver knows, without the
/// engine, what failed and what worked), into the proposal store when there is one (so it survives a restart), and
/// recorded as an event.
/// </summary>
internal sealed class StrategyFactory(ProposalBook book, CreativeRecorder recorder, GeneratedCodeGate? codeGate, ProposalArchive? archive)
{
    public Strategy<T> Create<T>(string operation, Proposal proposal, string? input)
    {
        var description = "Proposed by the creative solver: " + SecretRedactor.RedactText(proposal.Rationale ?? proposal.ToolName);
        return new Strategy<T>(proposal.StrategyName, ct => RunAsync<T>(operation, proposal, input, ct), 1.0, description) { Cost = proposal.Cost };
    }

    private async Task<T> RunAsync<T>(string operation, Proposal proposal, string? input, CancellationToken cancellationToken)
    {
        try
        {
            var value = proposal.Program is { } program
                ? await RunProgramAsync<T>(operation, proposal, program, input, cancellationToken).ConfigureAwait(false)
                : await RunToolAsync<T>(proposal, cancellationToken).ConfigureAwait(false);
            book.RecordOutcome(operation, proposal.StrategyName, succeeded: true);
            if (archive is not null)
            {
                await archive.RecordOutcomeAsync(operation, proposal.StrategyName, succeeded: true).ConfigureAwait(false);
            }

            recorder.Record(CreativeEventKind.Succeeded, operation, proposal.StrategyName, proposal.ToolName);
            return value;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            book.RecordOutcome(operation, proposal.StrategyName, succeeded: false);
            if (archive is not null)
            {
                await archive.RecordOutcomeAsync(operation, proposal.StrategyName, succeeded: false).ConfigureAwait(false);
            }

            recorder.Record(CreativeEventKind.Failed, operation, proposal.StrategyName, proposal.ToolName, reason: e.GetType().Name + ": " + e.Message);
            throw;
        }
    }

    private static async Task<T> RunToolAsync<T>(Proposal proposal, CancellationToken cancellationToken)
    {
        var arguments = CanonicalJson.Parse(proposal.CanonicalArguments);
        var result = await proposal.Tool!.Invoke(arguments, cancellationToken).ConfigureAwait(false);
        return ResultConverter.To<T>(result, $"The tool '{proposal.ToolName}'");
    }

    private async Task<T> RunProgramAsync<T>(string operation, Proposal proposal, CompiledProgram program, string? input, CancellationToken cancellationToken)
    {
        var result = await codeGate!.RunAsync(program, input, cancellationToken).ConfigureAwait(false);
        recorder.Record(CreativeEventKind.SandboxRan, operation, proposal.StrategyName, proposal.ToolName, program.SourceLines,
            reason: "the program " + result.Describe());
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The generated program " + result.Describe() + ".");
        }

        var output = result.Output.TrimEnd('\r', '\n');
        return typeof(T) == typeof(string) ? (T)(object)output : ResultConverter.To<T>(ParseOrText(output), "The generated program");
    }

    private static object ParseOrText(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return output;
        }
    }
}
