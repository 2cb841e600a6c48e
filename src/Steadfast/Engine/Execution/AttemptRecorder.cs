using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>When one attempt ran: its number within its strategy, its start and end timestamps, and the wait before it.</summary>
internal readonly record struct AttemptTiming(int Number, long Start, long End, TimeSpan Duration, TimeSpan DelayBefore);

/// <summary>
/// Writes down how each attempt ended, everywhere it must go: the execution's ledger, the metrics, the log, the learning
/// layer and the progress events; and escalates an execution the first time its failures reach the threshold. Skipped
/// strategies (blacklist, open circuit, cost) are written down here too.
/// </summary>
internal sealed class AttemptRecorder(EngineLearning learning, ProgressReporter progress, Escalation escalation, ExecutionBudget budget, HedgeDelays hedging, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Books a success. Returns <see langword="false"/> when another strategy's success was booked first (a race decided
    /// at the same moment): that attempt is then booked as having lost the race, so a result holds one success.
    /// </summary>
    public bool Succeeded<T>(ResilienceResult<T> exec, Racer? racer, string strategy, in AttemptTiming timing, decimal declared, decimal reported)
    {
        bool won;
        using (exec.Ledger.Enter())
        {
            won = racer is null || !exec.Ledger.HasWinner;
            if (won)
            {
                // A sequential first-try success keeps no list, so it builds no record either.
                var record = racer is not null || exec.Ledger.Records is not null
                    ? new AttemptRecord(strategy, timing.Number, StartedAtOf(exec, timing.Start), timing.Duration, AttemptOutcome.Succeeded)
                    {
                        DelayBefore = timing.DelayBefore,
                        Cost = declared + reported,
                    }
                    : null;
                exec.Ledger.RecordSuccess_NeedsLock(record, racer, timing.End, reported);
            }
            else
            {
                exec.Ledger.RecordCancelled_NeedsLock(
                    new AttemptRecord(strategy, timing.Number, StartedAtOf(exec, timing.Start), timing.Duration, AttemptOutcome.Cancelled)
                    {
                        DelayBefore = timing.DelayBefore,
                        Cost = declared + reported,
                        SkipReason = SkipReasons.LostTheRace,
                    },
                    racer,
                    timing.End,
                    reported);
            }
        }

        if (exec.Ledger.Race is not null)
        {
            hedging.Record(exec.OperationName, strategy, timing.Duration);
        }

        // Either way the strategy answered: that is what learning ranks by.
        EngineMetrics.Attempt(exec.OperationName, strategy, won ? AttemptOutcome.Succeeded : AttemptOutcome.Cancelled);
        learning.RecordSuccess(exec.OperationName, strategy, timing.Duration);
        progress.Raise(exec, ProgressKind.AttemptFinished, strategy, timing.Number, won ? AttemptOutcome.Succeeded : AttemptOutcome.Cancelled);
        return won;
    }

    public void Cancelled<T>(ResilienceResult<T> exec, Racer? racer, string strategy, in AttemptTiming timing, decimal declared, decimal reported)
    {
        var record = new AttemptRecord(strategy, timing.Number, StartedAtOf(exec, timing.Start), timing.Duration, AttemptOutcome.Cancelled)
        {
            DelayBefore = timing.DelayBefore,
            Cost = declared + reported,
            SkipReason = exec.StrategyUsed is not null ? SkipReasons.LostTheRace : null,
        };
        using (exec.Ledger.Enter())
        {
            exec.Ledger.RecordCancelled_NeedsLock(record, racer, timing.End, reported);
        }

        progress.Raise(exec, ProgressKind.AttemptFinished, strategy, timing.Number, AttemptOutcome.Cancelled);
    }

    public void Failed<T>(ResilienceResult<T> exec, Racer? racer, string strategy, in AttemptTiming timing, decimal declared, decimal reported, Exception error)
    {
        var record = new AttemptRecord(strategy, timing.Number, StartedAtOf(exec, timing.Start), timing.Duration, AttemptOutcome.Failed)
        {
            Error = error,
            DelayBefore = timing.DelayBefore,
            Cost = declared + reported,
        };
        bool escalate;
        int failed;
        using (exec.Ledger.Enter())
        {
            failed = exec.Ledger.RecordFailure_NeedsLock(record, racer, timing.End, reported, error);
            escalate = exec.Ledger.TryEscalate_NeedsLock(budget.EscalateAfterFailures);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            // Classifying walks the exception: only for a log that is written.
            var category = ErrorClassifier.Classify(error);
            Log.EngineAttemptFailed(logger, exec.OperationName, strategy, timing.Number, category, error);
        }
        EngineMetrics.Attempt(exec.OperationName, strategy, AttemptOutcome.Failed);
        learning.RecordFailure(error, exec.OperationName, exec.Ledger.Context, strategy);
        progress.Raise(exec, ProgressKind.AttemptFinished, strategy, timing.Number, AttemptOutcome.Failed);
        if (escalate)
        {
            escalation.Escalate(exec, failed, error);
        }
    }

    /// <summary>Writes down a strategy that was not called, and why; <paramref name="retryAfter"/> says when it may be worth trying again.</summary>
    public void Skipped<T>(ResilienceResult<T> exec, string strategy, string reason, TimeSpan? retryAfter)
    {
        var record = new AttemptRecord(strategy, 0, time.GetUtcNow(), TimeSpan.Zero, AttemptOutcome.Skipped) { SkipReason = reason, RetryAfter = retryAfter };
        using (exec.Ledger.Enter())
        {
            exec.Ledger.AddRecord_NeedsLock(record);
        }

        Log.EngineStrategySkipped(logger, exec.OperationName, strategy, reason);
        EngineMetrics.Attempt(exec.OperationName, strategy, AttemptOutcome.Skipped);
    }

    /// <summary>The wall-clock time of a timestamp taken during the execution.</summary>
    public DateTimeOffset StartedAtOf<T>(ResilienceResult<T> exec, long timestamp) =>
        exec.StartedAt + time.GetElapsedTime(exec.Ledger.StartTimestamp, timestamp);
}
