using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// The recording path of <see cref="FailureAnalyzer"/>: turns an exception into a classified, redacted
/// <see cref="Failure"/>, updates the <see cref="LearningState"/>, and hands what must be persisted to the
/// <see cref="WriteBehind"/> with the logs and counters that go with it. Stateless apart from its collaborators.
/// </summary>
internal sealed class OutcomeRecorder(LearningState state, WriteBehind writer, TimeProvider timeProvider, ILogger logger)
{
    public Failure RecordFailure(Exception exception, string operation, IReadOnlyDictionary<string, object?>? context, string? strategy)
    {
        var error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        var failure = new Failure
        {
            Timestamp = timeProvider.GetUtcNow(),
            Operation = operation,
            Strategy = strategy,
            ErrorType = error.GetType().Name,
            ErrorMessage = SecretRedactor.RedactText(error.Message),
            Category = ErrorClassifier.Classify(exception),
            StatusCode = ErrorClassifier.TryGetStatusCode(exception, out var code) ? code : null,
            Context = SecretRedactor.RedactContext(context),
        };

        var blacklisted = state.RecordFailure(failure, ErrorClassifier.TryGetRetryAfter(exception, out var retryAfter) ? retryAfter : null);
        LearningMetrics.FailuresRecorded.Add(1);
        writer.EnqueueFailure(failure);
        if (blacklisted is not null)
        {
            Blacklisted(blacklisted);
        }

        return failure;
    }

    /// <summary>Writes, counts and logs an automatic blacklist entry a failure caused (here or, through a shared store, elsewhere).</summary>
    public void Blacklisted(BlacklistEntry entry)
    {
        writer.Enqueue(new WriteItem(WriteKind.BlacklistUpsert) { Entry = entry });
        LearningMetrics.StrategiesBlacklisted.Add(1);
        Log.StrategyBlacklisted(logger, entry.StrategyName, entry.Operation, entry.ExpiresAt, entry.Reason);
    }

    /// <summary>Records a success at <paramref name="now"/>; allocates nothing in steady state.</summary>
    public void RecordSuccess(string operation, string? strategy, TimeSpan? duration, DateTimeOffset now)
    {
        var nudge = state.RecordSuccess(operation, strategy, now, duration, out var lifted);
        if (nudge == StatisticsNudge.WriteNow)
        {
            writer.Enqueue(new WriteItem(WriteKind.Statistics));
        }
        else if (nudge == StatisticsNudge.ArmTimer)
        {
            state.ArmStatisticsTimer();
        }

        if (lifted is not null)
        {
            // The store must forget the entry too, or the next process would start with the strategy blacklisted.
            writer.Enqueue(new WriteItem(WriteKind.BlacklistRemove) { Strategy = lifted.StrategyName, Operation = lifted.Operation });
            if (lifted.IsActiveAt(now))
            {
                Log.StrategyUnblacklisted(logger, lifted.StrategyName, lifted.Operation);
            }
        }
    }
}
