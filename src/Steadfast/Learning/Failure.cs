namespace Steadfast;

/// <summary>One recorded failure, as <see cref="FailureAnalyzer.RecordFailure"/> returns and the stores keep it.</summary>
public sealed record Failure
{
    /// <summary>The store's identifier; 0 until the failure has been written.</summary>
    public long Id { get; init; }

    /// <summary>When the failure happened (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The operation that failed (case-sensitive).</summary>
    public required string Operation { get; init; }

    /// <summary>The strategy that was running, if any.</summary>
    public string? Strategy { get; init; }

    /// <summary>The exception's type name, for example <c>HttpRequestException</c>.</summary>
    public required string ErrorType { get; init; }

    /// <summary>The exception's message.</summary>
    public required string ErrorMessage { get; init; }

    /// <summary>The category the classifier gave the error.</summary>
    public ErrorCategory Category { get; init; }

    /// <summary>The context given with the call, secrets redacted.</summary>
    public IReadOnlyDictionary<string, string?> Context { get; init; } = EmptyContext;

    internal static readonly IReadOnlyDictionary<string, string?> EmptyContext = new Dictionary<string, string?>();
}
