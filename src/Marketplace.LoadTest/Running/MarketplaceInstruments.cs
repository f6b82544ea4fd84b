using System.Diagnostics.Metrics;
using Marketplace.Grains;

namespace Marketplace.LoadTest.Running;

/// <summary>
/// Listens to the marketplace's own instruments of one host, as an exporter would. Other hosts in
/// the same process (test clusters, the previous target) have meters of the same name: the meter's
/// scope, the host's <see cref="IMeterFactory"/>, tells them apart.
/// </summary>
public static class MarketplaceInstruments
{
    /// <param name="tags">Valid during the call only: <see cref="Copy"/> them to keep them.</param>
    public delegate void Measured(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <param name="names">The instruments to hear (all of the meter's when empty).</param>
    public static MeterListener Listen(IMeterFactory host, Measured measured, params string[] names)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MarketplaceMetrics.MeterName && instrument.Meter.Scope == host
                    && (names.Length == 0 || names.Contains(instrument.Name)))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured(instrument.Name, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured(instrument.Name, value, tags));
        listener.Start();
        return listener;
    }

    /// <summary>The value of one tag, without copying them all (a measurement per event: the copy showed in the run's allocations).</summary>
    public static object? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value;
            }
        }

        return null;
    }

    public static Dictionary<string, object?> Copy(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(tags.Length);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        return copy;
    }
}
