namespace Steadfast.Cli.Demo.Storage;

/// <summary>
/// Whether the demo's stores work: the first failure of any of them is kept, with its reason, and reported once (a full
/// disk fails every write; the reason is said once, not per call). Thread-safe: stores fail on background writers.
/// </summary>
/// <param name="onDegraded">Called once, with the reason, on the first failure (on the thread that saw it); not for a file that is
/// not Steadfast's, which the demo refuses instead.</param>
internal sealed class PersistenceWatch(Action<string>? onDegraded = null)
{
    private StoreProblem? _first;

    /// <summary>The first failure, if any.</summary>
    public StoreProblem? Problem => Volatile.Read(ref _first);

    /// <summary>Whether a store has failed during this run.</summary>
    public bool Degraded => Problem is not null;

    /// <summary>Keeps <paramref name="exception"/> if it is the first failure; says so once.</summary>
    public void Report(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var problem = StoreProblem.Of(exception);
        if (Interlocked.CompareExchange(ref _first, problem, null) is null && !problem.NotOurs)
        {
            onDegraded?.Invoke(problem.Reason);
        }
    }
}

/// <summary>Why a store failed.</summary>
/// <param name="Failure">The kind of trouble (<see cref="StoreFailure.Unknown"/> when the store did not say).</param>
/// <param name="Reason">One line: what failed, on which file, and what to do.</param>
internal sealed record StoreProblem(StoreFailure Failure, string Reason)
{
    /// <summary>Whether the file is not Steadfast's to use (another application's, not a database, or newer): refused, never a degraded run.</summary>
    public bool NotOurs => Failure is StoreFailure.Foreign or StoreFailure.Corrupt or StoreFailure.Incompatible;

    public static StoreProblem Of(Exception exception) => new(
        exception is StoreException store ? store.Failure : StoreFailure.Unknown,
        OneLine(exception.Message));

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
