namespace Steadfast.Recovery.Tracking;

/// <summary>
/// Per component: when it was last alerted about, how many alerts were suppressed since, and whether it is in alert
/// (alerted about and not recovered). A problem alert within the throttle of the previous one is suppressed; a
/// recovery clears the alert state but not the throttle, so a flapping component still alerts at most once per period.
/// </summary>
internal sealed class AlertThrottle(TimeSpan throttle)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Whether a problem alert may go out now; if so returns the alerts suppressed since the last one.</summary>
    public bool TryAlert(string component, ErrorSeverity severity, DateTimeOffset now, out int suppressed)
    {
        lock (_lock)
        {
            if (!_states.TryGetValue(component, out var state))
            {
                _states[component] = state = new State();
            }

            if (state.LastAlertAt is { } last && now - last < throttle)
            {
                state.Suppressed++;
                state.InAlert = true;
                state.Severity = severity > state.Severity ? severity : state.Severity;
                suppressed = 0;
                return false;
            }

            suppressed = state.Suppressed;
            state.Suppressed = 0;
            state.LastAlertAt = now;
            state.InAlert = true;
            state.Severity = severity;
            return true;
        }
    }

    /// <summary>Clears the component's alert state; returns true (and the last severity) when it was in alert, so a "recovered" alert is due.</summary>
    public bool TryRecover(string component, out ErrorSeverity severity)
    {
        lock (_lock)
        {
            if (_states.TryGetValue(component, out var state) && state.InAlert)
            {
                state.InAlert = false;
                severity = state.Severity;
                return true;
            }

            severity = default;
            return false;
        }
    }

    public List<string> InAlert()
    {
        lock (_lock)
        {
            return [.. _states.Where(s => s.Value.InAlert).Select(s => s.Key).Order(StringComparer.Ordinal)];
        }
    }

    private sealed class State
    {
        public DateTimeOffset? LastAlertAt { get; set; }

        public int Suppressed { get; set; }

        public bool InAlert { get; set; }

        public ErrorSeverity Severity { get; set; }
    }
}
