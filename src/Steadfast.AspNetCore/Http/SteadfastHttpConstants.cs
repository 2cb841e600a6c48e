namespace Steadfast.AspNetCore.Http;

/// <summary>The defaults of <see cref="SteadfastHttpClientOptions"/>, written once.</summary>
internal static class SteadfastHttpConstants
{
    /// <summary>Attempts per endpoint, the first included: 3.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The median wait before the first retry: 1 second.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a retry, and the longest <c>Retry-After</c> waited on: 30 seconds.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The bound of one attempt (one request to one endpoint): 10 seconds, as the standard resilience handler's attempt timeout.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The bound of a whole request, all attempts and waits included: 30 seconds, as the standard handler's total timeout.</summary>
    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The largest request body buffered so it can be sent again: 16 MiB.</summary>
    public const long DefaultMaxRequestContentBytes = 16L * 1024 * 1024;

    /// <summary>The configuration section, below the Steadfast section, of every HttpClient's options (one child per client name).</summary>
    public const string Section = "Http";
}
