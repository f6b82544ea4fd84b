using System.Collections.Concurrent;

namespace Marketplace.LoadTest.Running;

/// <summary>How long each consumer took per event, from the product's handling-time instrument.</summary>
public sealed class ConsumerTimings
{
    private readonly ConcurrentDictionary<string, LatencyRecorder> byConsumer = new();

    public void Record(string consumer, TimeSpan elapsed) => byConsumer.GetOrAdd(consumer, _ => new LatencyRecorder()).Record(elapsed);

    public IReadOnlyDictionary<string, LatencySummary> Summaries() =>
        byConsumer.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value.Summary());
}
