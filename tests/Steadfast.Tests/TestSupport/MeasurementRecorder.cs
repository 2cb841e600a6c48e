using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast.Tests.TestSupport;

/// <summary>Records every measurement of the <c>Steadfast</c> meter whose instrument name passes the constructor's filter.</summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeasurementRecorder(Func<string, bool>? include = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SteadfastTelemetry.Name && (include?.Invoke(instrument.Name) ?? true))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = [];

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Measurements.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
}
