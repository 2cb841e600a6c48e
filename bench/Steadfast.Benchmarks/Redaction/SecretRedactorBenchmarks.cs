using BenchmarkDotNet.Attributes;

namespace Steadfast.Benchmarks.Redaction;

/// <summary>
/// <see cref="SecretRedactor.RedactText"/> on what it sees on every recorded failure: an ordinary exception message
/// (the fast path: no trigger word, no regular expression), an ordinary message that names a trigger word, and a
/// message with three secrets in it.
/// </summary>
[MemoryDiagnoser]
public class SecretRedactorBenchmarks
{
    private const string Plain = "System.TimeoutException: The operation has timed out after 30 s calling the quote service.";
    private const string TriggerWordOnly = "HTTP 429 Too Many Requests from GET https://api.example.com/v1/quote?symbol=MSFT; tokens per second exceeded.";
    private const string WithSecrets = "HttpRequestException: 401 from https://user:pa55@api.example.com with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln; {\"password\": \"hunter2\"}";

    [Benchmark(Baseline = true)]
    public string Ordinary() => SecretRedactor.RedactText(Plain);

    [Benchmark]
    public string OrdinaryWithTriggerWord() => SecretRedactor.RedactText(TriggerWordOnly);

    [Benchmark]
    public string ThreeSecrets() => SecretRedactor.RedactText(WithSecrets);
}
