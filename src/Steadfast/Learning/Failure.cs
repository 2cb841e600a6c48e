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

    /// <summary>The HTTP-style status code the error carried, if any (see <see cref="ErrorClassifier.TryGetStatusCode"/>).</summary>
    public int? StatusCode { get; init; }

    /// <summary>The context given with the call, secrets redacted.</summary>
    public IReadOnlyDictionary<string, string?> Context { get; init; } = EmptyContext;

    /// <summary>
    /// The service the failure belongs to: the context value under <c>service</c>, else <c>provider</c>, else
    /// <c>host</c>, else the <see cref="Strategy"/>; <see langword="null"/> when none is known.
    /// </summary>
    public string? Service =>
        Context.TryGetValue("service", out var s) && !string.IsNullOrEmpty(s) ? s
        : Context.TryGetValue("provider", out var p) && !string.IsNullOrEmpty(p) ? p
        : Context.TryGetValue("host", out var h) && !string.IsNullOrEmpty(h) ? h
        : Strategy;

    internal static readonly IReadOnlyDictionary<string, string?> EmptyContext = System.Collections.ObjectModel.ReadOnlyDictionary<string, string?>.Empty;
}
