using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Steadfast.AI.Creative;

/// <summary>
/// What the model is told, and nothing more: the operation, the attempts (strategy, outcome, error type and redacted
/// message), the learning layer's pattern, root cause and recommendations (redacted), the strategies tried, optionally the
/// redacted context, and — when generated code is offered — a redacted sample of the program's input. Every free text
/// passes <see cref="SecretRedactor.RedactText"/>; see docs/creative.md.
/// </summary>
internal static class PromptBuilder
{
    private const int MaxAttemptsShown = 20;

    public const string Instructions =
        "You help a resilience engine that has exhausted every strategy it was given for an operation. " +
        "Propose new strategies by calling the functions offered (each call is one proposal; propose at most the number asked). " +
        "Give each a one-sentence rationale, in a 'rationale' argument or in your text. " +
        "Do not repeat a strategy that was already tried. Your calls are validated and run by the engine, not by you.";

    public static List<ChatMessage> Build(ResilienceSituation situation, int maxProposals, bool includeContext, string? inputSample, bool offerCode)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"Operation: {Redact(situation.OperationName)}\n");
        text.Append(c, $"Failed attempts: {situation.FailedAttempts}\n");
        text.Append("Attempts (most recent last):\n");
        foreach (var a in situation.Attempts.TakeLast(MaxAttemptsShown))
        {
            text.Append(c, $"- strategy {Redact(a.Strategy)}, attempt {a.AttemptNumber}: {a.Outcome}");
            if (a.Error is { } e)
            {
                text.Append(c, $", {e.GetType().Name}: {Redact(e.Message)}");
            }

            if (a.SkipReason is { } skip)
            {
                text.Append(c, $", {Redact(skip)}");
            }

            text.Append('\n');
        }

        var tried = situation.Attempts.Select(a => a.Strategy).Distinct(StringComparer.Ordinal).ToList();
        text.Append(c, $"Strategies tried: {Redact(string.Join(", ", tried))}\n");
        var analysis = situation.Analysis;
        text.Append(c, $"Failure pattern: {analysis.Pattern}\n");
        text.Append(c, $"Root cause: {analysis.RootCause.Category}: {Redact(analysis.RootCause.Description)}\n");
        foreach (var r in analysis.Recommendations.Take(5))
        {
            text.Append(c, $"Recommendation: {Redact(r)}\n");
        }

        if (includeContext && situation.Context is { Count: > 0 } context)
        {
            text.Append(c, $"Context: {JsonSerializer.Serialize(SecretRedactor.RedactContext(context), AIJsonUtilities.DefaultOptions)}\n");
        }

        if (offerCode)
        {
            text.Append(c, $"If no function fits, you may call {CreativeConstants.GeneratedCodeToolName} with a small C# console program ")
                .Append("that reads its input from standard input and writes the result to standard output. It may use only System, ")
                .Append("System.Collections.Generic, System.Linq, System.Text (StringBuilder), System.Text.Json and System.Text.RegularExpressions; ")
                .Append("no files, network, processes, reflection, threads or environment.\n");
            if (inputSample is not null)
            {
                text.Append(c, $"Input sample (redacted, at most {CreativeConstants.MaxSampleLength} characters): {inputSample}\n");
            }
        }

        text.Append(c, $"Propose at most {maxProposals} new strategies.");
        return [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, text.ToString())];
    }

    public static string? Sample(string? input)
    {
        if (input is null)
        {
            return null;
        }

        var redacted = SecretRedactor.RedactText(input);
        return redacted.Length > CreativeConstants.MaxSampleLength ? redacted[..CreativeConstants.MaxSampleLength] : redacted;
    }

    private static string Redact(string text) => SecretRedactor.RedactText(text);
}
