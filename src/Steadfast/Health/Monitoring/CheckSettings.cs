namespace Steadfast.Health.Monitoring;

/// <summary>What every check of one monitor shares: its clock, its timeout and its hysteresis thresholds.</summary>
internal sealed record CheckSettings(TimeProvider Time, TimeSpan Timeout, int UnhealthyAfter, int HealthyAfter);
