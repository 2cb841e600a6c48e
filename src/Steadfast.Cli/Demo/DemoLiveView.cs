using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Spectre.Console;
using Steadfast.Cli.Demo.Health;
using Steadfast.Cli.Demo.Storage;

namespace Steadfast.Cli.Demo;

/// <summary>The live view of a real-time run on an interactive terminal: progress, the figures so far, the circuits, and persistence trouble.</summary>
internal static class DemoLiveView
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(200);

    /// <summary>Shows the view until <paramref name="work"/> completes, refreshed a few times a second (on the real clock: it is for eyes).</summary>
    public static Task ShowAsync(IAnsiConsole console, DemoSettings settings, Task work, DemoStats stats, CircuitBreakerRegistry registry, PersistenceWatch persistence,
        Func<double> progress, DemoHealth? health = null) =>
        console.Live(View(settings, stats.Snapshot(), registry, persistence, progress(), health)).StartAsync(async live =>
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(Refresh, TimeProvider.System));
                live.UpdateTarget(View(settings, stats.Snapshot(), registry, persistence, progress(), health));
            }
        });

    /// <summary>The view at one moment.</summary>
    internal static Rows View(DemoSettings settings, DemoTotals t, CircuitBreakerRegistry registry, PersistenceWatch persistence, double progress,
        DemoHealth? health = null)
    {
        const int width = 40;
        var filled = (int)Math.Round(progress * width);
        var bar = new string('█', filled) + new string('░', width - filled);
        var header = new Markup(
            $"[bold]{DemoScenario.Operation}[/] {DemoHistory.ModeName(settings.Mode)}  {bar} {progress * settings.Duration.TotalSeconds:0.0}s / {settings.Duration.TotalSeconds:0}s\n" +
            $"calls [bold]{t.Calls}[/]  [green]succeeded {t.Succeeded}[/]  [red]failed {t.Failed}[/]  wasted attempts {t.FailedAttempts}  circuit-saved calls {t.CallsWithCircuitSkip}" +
            (health is null ? string.Empty : "\n" + HealthLine(health.Mode, health.NotHealthy())) +
            (persistence.Problem is { } problem ? $"\n[yellow]persistence degraded: {Markup.Escape(problem.Reason)}[/] (the demo goes on in memory)" : string.Empty));

        var table = new Table().AddColumns("Strategy", "Wins", "Circuit");
        var circuits = registry.GetAllStatus().ToDictionary(c => c.Name, c => c.State, StringComparer.Ordinal);
        foreach (var s in t.Strategies)
        {
            var state = circuits.TryGetValue(DemoScenario.CircuitName(s.Strategy), out var c) ? c : CircuitState.Closed;
            table.AddRow(s.Strategy, s.Wins.ToString(CultureInfo.InvariantCulture), DemoRenderer.StateMarkup(state));
        }

        return new Rows(header, table);
    }

    /// <summary>One line: the operation mode and the components that are not healthy (markup).</summary>
    internal static string HealthLine(OperationMode mode, IReadOnlyList<ComponentReport> notHealthy) =>
        $"mode {ModeMarkup(mode)}  " + (notHealthy.Count == 0
            ? "all components healthy"
            : "not healthy: " + string.Join(", ", notHealthy.Select(c => $"{Markup.Escape(c.Name)} {StatusMarkup(c.Status)}")));

    internal static string ModeMarkup(OperationMode mode) => mode switch
    {
        OperationMode.Normal => "[green]Normal[/]",
        OperationMode.Degraded => "[yellow]Degraded[/]",
        _ => "[red]Emergency[/]",
    };

    internal static string StatusMarkup(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "[green]Healthy[/]",
        HealthStatus.Degraded => "[yellow]Degraded[/]",
        _ => "[red]Unhealthy[/]",
    };
}
