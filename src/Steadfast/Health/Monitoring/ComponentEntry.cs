using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.Health.Monitoring;

/// <summary>
/// One registered component: its check, its current health and the one check of it that may run at a time. A second
/// request while a check runs joins that check instead of starting another; a check that timed out but has not
/// returned yet keeps the component busy, and each check asked for meanwhile fails at once saying so.
/// </summary>
internal sealed class ComponentEntry
{
    private readonly Lock _lock = new();
    private readonly Func<CancellationToken, Task<HealthCheckResult>> _check;
    private ComponentHealth _health;
    private Task<ComponentTransition>? _running;
    private Task? _abandoned;

    public ComponentEntry(string name, ComponentSeverity severity, Func<CancellationToken, Task<HealthCheckResult>> check, bool direct, Action? detach)
    {
        Name = name;
        Severity = severity;
        _check = check;
        Direct = direct;
        Detach = detach;
        _health = new ComponentHealth(name, severity, HealthStatus.Healthy, null, null, TimeSpan.Zero, 0, 0, null, null);
    }

    public string Name { get; }

    public ComponentSeverity Severity { get; }

    /// <summary>True for circuits: their state is taken as it is, without hysteresis.</summary>
    public bool Direct { get; }

    /// <summary>Unsubscribes from the component's source (a circuit's events) when it is unregistered.</summary>
    public Action? Detach { get; }

    public ComponentHealth Health => Volatile.Read(ref _health);

    public Task<ComponentTransition> CheckAsync(CheckSettings settings, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Task.Run so the check's own clean-up (which takes this lock) never runs before _running is assigned.
            return _running ??= Task.Run(() => RunAsync(settings, cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>Applies an outcome observed outside a check (a circuit's state change).</summary>
    public ComponentTransition Apply(CheckOutcome outcome, CheckSettings settings)
    {
        lock (_lock)
        {
            return Apply_NeedsLock(outcome, settings);
        }
    }

    private ComponentTransition Apply_NeedsLock(CheckOutcome outcome, CheckSettings settings)
    {
        var previous = _health;
        var next = Hysteresis.Next(previous, outcome, settings.UnhealthyAfter, settings.HealthyAfter);
        Volatile.Write(ref _health, next);
        return new ComponentTransition(next, next.Status != previous.Status ? previous : null);
    }

    private async Task<ComponentTransition> RunAsync(CheckSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await ExecuteAsync(settings, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _running = null;
                return Apply_NeedsLock(outcome, settings);
            }
        }
        catch
        {
            lock (_lock)
            {
                _running = null;
            }

            throw;
        }
    }

    private async Task<CheckOutcome> ExecuteAsync(CheckSettings settings, CancellationToken cancellationToken)
    {
        var time = settings.Time;
        var started = time.GetTimestamp();
        if (_abandoned is { IsCompleted: false })
        {
            return Failed("the previous check has not returned since it timed out", null);
        }

        _abandoned = null;
        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<HealthCheckResult> check;
        try
        {
            check = _check(linked.Token) ?? throw new InvalidOperationException("The health check returned null instead of a task.");
        }
#pragma warning disable CA1031 // A check that throws is a failed check with the reason: that is the rule.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed(ex.Message, ex);
        }

        try
        {
            var result = await check.WaitAsync(settings.Timeout, time, cancellationToken).ConfigureAwait(false);
            return new CheckOutcome(result.Status, Redact(result.Description ?? result.Exception?.Message), result.Exception, Elapsed(), time.GetUtcNow(), Direct);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when ((ex is TimeoutException && !check.IsFaulted) || (ex is OperationCanceledException && timeout.IsCancellationRequested))
        {
            if (!check.IsCompleted)
            {
                _abandoned = check;
                _ = check.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            return Failed(string.Create(CultureInfo.InvariantCulture, $"timed out after {settings.Timeout.TotalMilliseconds:0} ms"), null);
        }
#pragma warning disable CA1031 // A check that throws is a failed check with the reason: that is the rule.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed(ex.Message, ex);
        }

        TimeSpan Elapsed() => time.GetElapsedTime(started);

        CheckOutcome Failed(string reason, Exception? exception) =>
            new(HealthStatus.Unhealthy, Redact(reason), exception, Elapsed(), time.GetUtcNow(), Direct);
    }

    private static string? Redact(string? text) => text is null ? null : SecretRedactor.RedactText(text);
}
