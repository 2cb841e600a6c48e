using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// The engine's side of the learning layer: records attempts in the <see cref="FailureAnalyzer"/> and asks it for analyses.
/// Learning trouble never breaks the user's call: an analyzer that throws is logged and the execution goes on.
/// </summary>
internal sealed class EngineLearning(FailureAnalyzer? analyzer, ILogger logger)
{
    /// <summary>The analyzer; <see langword="null"/> when learning is off.</summary>
    public FailureAnalyzer? Analyzer => analyzer;

    public void RecordSuccess(string operation, string strategy, TimeSpan duration) => RecordSuccess(operation, strategy, duration, null, null);

    /// <summary>
    /// Records a success at <paramref name="at"/>, read from <paramref name="clock"/> by the caller: the analyzer takes it when
    /// that is its own clock, else reads its own (as it does when <paramref name="at"/> is <see langword="null"/>).
    /// </summary>
    public void RecordSuccess(string operation, string strategy, TimeSpan duration, DateTimeOffset? at, TimeProvider? clock)
    {
        if (analyzer is null)
        {
            return;
        }

        try
        {
            if (at is { } now && clock is not null)
            {
                analyzer.RecordSuccessAt(operation, strategy, duration, now, clock);
            }
            else
            {
                analyzer.RecordSuccess(operation, strategy, duration);
            }
        }
#pragma warning disable CA1031 // Learning trouble never breaks the user's call.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.EngineLearningFailed(logger, operation, e);
        }
    }

    public void RecordFailure(Exception error, string operation, IReadOnlyDictionary<string, object?>? context, string strategy)
    {
        if (analyzer is null)
        {
            return;
        }

        try
        {
            analyzer.RecordFailure(error, operation, context, strategy);
        }
#pragma warning disable CA1031 // Learning trouble never breaks the user's call.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.EngineLearningFailed(logger, operation, e);
        }
    }

    /// <summary>The analyzer's view of the operation's recent failures; <see cref="FailureAnalysis.Empty"/> when learning is off or the analyzer failed.</summary>
    public FailureAnalysis Analyze(string operation)
    {
        if (analyzer is null)
        {
            return FailureAnalysis.Empty;
        }

        try
        {
            return analyzer.AnalyzePattern(operation);
        }
#pragma warning disable CA1031 // Learning trouble never breaks the user's call.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.EngineLearningFailed(logger, operation, e);
            return FailureAnalysis.Empty;
        }
    }

    /// <summary>Whether the strategy has a blacklist entry in force (automatic or manual).</summary>
    public bool IsBlacklisted(string strategy, string operation) => analyzer?.IsStrategyBlacklisted(strategy, operation) == true;

    /// <summary>When the automatically blacklisted strategy is next probed; <see langword="null"/> when it is not, or is blacklisted by hand (never probed).</summary>
    public DateTimeOffset? NextProbeAt(string strategy, string operation) => analyzer?.GetNextProbeAt(strategy, operation);

    /// <summary>Claims the recovery probe of this interval; true for one caller only.</summary>
    public bool TryBeginProbe(string strategy, string operation) => analyzer?.TryBeginProbe(strategy, operation) == true;

    /// <summary>Gives a claimed probe back: it was not made (its circuit refused it) or was rate limited.</summary>
    public void CancelProbe(string strategy, string operation, TimeSpan? retryAfter) => analyzer?.CancelProbe(strategy, operation, retryAfter);
}
