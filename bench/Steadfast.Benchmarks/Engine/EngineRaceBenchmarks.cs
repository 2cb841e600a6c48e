using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Steadfast.Benchmarks.Engine;

/// <summary>
/// Issue 3, race: three strategies with random log-normal latencies (real delays, medians of a few milliseconds) and
/// occasional failures, drawn from one seeded sequence that both modes replay call by call. Sequential mode tries them in
/// rank order; parallel mode races all three and takes the first success. BenchmarkDotNet gives mean and median per call;
/// every call's time-to-success (all of the benchmark process's calls) is also recorded, and its percentiles (p50, p90,
/// p99, nearest rank) are printed as a markdown row at cleanup, in the benchmark's console output.
/// </summary>
[MemoryDiagnoser]
public class EngineRaceBenchmarks
{
    private const int Seed = 20260131;
    private const int SequenceLength = 4096;

    // name, rank priority, median latency (ms), log-normal sigma, failure probability
    private static readonly (string Name, double Priority, double MedianMs, double Sigma, double FailureRate)[] Profiles =
    [
        ("primary_provider", 1.0, 4.0, 0.6, 0.20),
        ("backup_provider", 0.8, 5.0, 0.6, 0.10),
        ("cache_fallback", 0.5, 8.0, 0.5, 0.02),
    ];

    private static readonly (TimeSpan Latency, bool Fails)[][] Sequence = Generate();

    private readonly List<double> _timesMs = new(8192);
    private ResilienceEngine _engine = null!;
    private Strategy<int>[] _strategies = null!;
    private int _next;
    private int _failures;

    [Params(false, true)]
    public bool Parallel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Learning off and one attempt per strategy: the order stays the rank order, so both modes replay the same draws.
        _engine = new ResilienceEngine(new ResilienceOptions { EnableLearning = false, MaxAttempts = 1, MaxParallelStrategies = 3 });
        _strategies = new Strategy<int>[Profiles.Length];
        for (var i = 0; i < Profiles.Length; i++)
        {
            var index = i;
            _strategies[i] = new Strategy<int>(Profiles[i].Name, ct => RunAsync(index, ct), Profiles[i].Priority);
        }

        _next = 0;
    }

    [Benchmark]
    public async Task<int> TimeToSuccess()
    {
        var started = Stopwatch.GetTimestamp();
        var r = await _engine.ExecuteWithAlternativesAsync(_strategies, "fetch_weather_data", Parallel);
        _timesMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _next++;
        if (!r.Success)
        {
            _failures++;
        }

        return r.Value;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var sorted = _timesMs.ToArray();
        Array.Sort(sorted);
        var mode = Parallel ? "parallel" : "sequential";
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"| mode | calls | failed | mean ms | p50 ms | p90 ms | p99 ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|")
            .AppendLine(CultureInfo.InvariantCulture,
                $"| {mode} | {sorted.Length} | {_failures} | {sorted.Average():0.00} | {Percentile(sorted, 0.50):0.00} | {Percentile(sorted, 0.90):0.00} | {Percentile(sorted, 0.99):0.00} |")
            .ToString();
        Console.WriteLine(text);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private async Task<int> RunAsync(int strategy, CancellationToken ct)
    {
        var (latency, fails) = Sequence[_next % SequenceLength][strategy];
        await Task.Delay(latency, ct);
        return fails ? throw new InvalidOperationException("simulated failure") : strategy;
    }

    private static (TimeSpan, bool)[][] Generate()
    {
        var random = new Random(Seed);
        var sequence = new (TimeSpan, bool)[SequenceLength][];
        for (var call = 0; call < SequenceLength; call++)
        {
            sequence[call] = new (TimeSpan, bool)[Profiles.Length];
            for (var s = 0; s < Profiles.Length; s++)
            {
                var p = Profiles[s];

                // Box-Muller: a standard normal from two uniforms, then exp(mu + sigma z) with mu = ln(median).
                var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var ms = Math.Exp(Math.Log(p.MedianMs) + (p.Sigma * z));
                sequence[call][s] = (TimeSpan.FromMilliseconds(ms), random.NextDouble() < p.FailureRate);
            }
        }

        return sequence;
    }
}
