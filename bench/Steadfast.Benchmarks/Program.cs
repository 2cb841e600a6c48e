using BenchmarkDotNet.Running;

// Run all:      dotnet run -c Release --project bench/Steadfast.Benchmarks -- --filter '*'
// Run a group:  dotnet run -c Release --project bench/Steadfast.Benchmarks -- --filter '*CircuitBreaker*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point holder, so <see cref="BenchmarkSwitcher"/> can find this assembly.</summary>
public partial class Program;
