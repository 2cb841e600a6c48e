namespace Steadfast;

/// <summary>A snapshot of an <see cref="ErrorRecoveryOrchestrator"/>: errors by severity and component, patterns, circuits, alerts.</summary>
/// <param name="TotalErrors">Errors handled since the orchestrator was created.</param>
/// <param name="ErrorsBySeverity">Errors handled, by the severity they were reported with.</param>
/// <param name="ErrorsByComponent">Errors handled, by component.</param>
/// <param name="Patterns">The patterns with occurrences within the window, most frequent first.</param>
/// <param name="Circuits">The state of each registered circuit.</param>
/// <param name="ComponentsInAlert">Components alerted about and not yet recovered.</param>
/// <param name="RecentErrors">The newest errors of the history, newest first (at most 50).</param>
/// <param name="HistoryCount">Errors in the bounded history.</param>
/// <param name="LastAnalysisAt">When the background analysis last ran; <see langword="null"/> if it has not.</param>
public sealed record RecoverySystemStatus(
    long TotalErrors,
    IReadOnlyDictionary<ErrorSeverity, long> ErrorsBySeverity,
    IReadOnlyDictionary<string, long> ErrorsByComponent,
    IReadOnlyList<ErrorPatternStatus> Patterns,
    IReadOnlyDictionary<string, CircuitState> Circuits,
    IReadOnlyList<string> ComponentsInAlert,
    IReadOnlyList<ErrorRecorded> RecentErrors,
    int HistoryCount,
    DateTimeOffset? LastAnalysisAt);
