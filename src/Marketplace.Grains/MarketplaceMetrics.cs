using System.Diagnostics.Metrics;

namespace Marketplace.Grains;

/// <summary>The marketplace's own instruments (meter <c>Marketplace</c>).</summary>
public sealed class MarketplaceMetrics
{
    public const string MeterName = "Marketplace";

    private readonly Counter<long> deadLetters;
    private readonly Counter<long> retries;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> abandoned;

    public MarketplaceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        deadLetters = meter.CreateCounter<long>("marketplace.consumer.dead_letters", description: "Events a consumer failed to handle within its retry budget.");
        retries = meter.CreateCounter<long>("marketplace.consumer.retries", description: "Handling attempts retried after a transient failure.");
        duplicates = meter.CreateCounter<long>("marketplace.consumer.duplicates", description: "Deliveries of events a consumer had already handled.");
        abandoned = meter.CreateCounter<long>("marketplace.consumer.deliveries_abandoned", description: "Deliveries the stream gave up on (the dead-letter store itself failed).");
    }

    public void DeadLettered(string consumer, string eventType) => deadLetters.Add(1, Tags(consumer, eventType));

    public void Retried(string consumer) => retries.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    public void Duplicate(string consumer, string eventType) => duplicates.Add(1, Tags(consumer, eventType));

    public void Abandoned(string consumer) => abandoned.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    private static System.Diagnostics.TagList Tags(string consumer, string eventType) => new() { { "consumer", consumer }, { "event.type", eventType } };
}
