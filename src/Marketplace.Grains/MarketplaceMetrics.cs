using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Marketplace.Grains;

/// <summary>The marketplace's own instruments (meter <c>Marketplace</c>).</summary>
public sealed class MarketplaceMetrics
{
    public const string MeterName = "Marketplace";

    /// <summary>Placed → Fulfilled or Cancelled, as the order's journal recorded it (seconds).</summary>
    public const string OrderDuration = "marketplace.order.duration";

    /// <summary>One consumer handling one event, retries included (seconds).</summary>
    public const string HandlingDuration = "marketplace.consumer.handling.duration";

    /// <summary>One consumer sending the effects it deferred to the end of a delivery, grouped (seconds).</summary>
    public const string FlushDuration = "marketplace.consumer.flush.duration";

    /// <summary>How far a shard's consumer is behind: the age of a delivered batch's oldest event when it arrived (seconds).</summary>
    public const string ConsumerLag = "marketplace.consumer.lag";

    /// <summary>Deliveries of events a consumer had already handled, or whose order it handled in full and forgot.</summary>
    public const string Duplicates = "marketplace.consumer.duplicates";

    private readonly Counter<long> ordersPlaced;
    private readonly UpDownCounter<long> outboxPending;
    private readonly Histogram<double> orderDuration;
    private readonly Histogram<double> handlingDuration;
    private readonly Histogram<double> flushDuration;
    private readonly Counter<long> deadLetters;
    private readonly Counter<long> retries;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> abandoned;
    private readonly Counter<long> undelivered;
    private readonly Histogram<double> lag;

    public MarketplaceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        ordersPlaced = meter.CreateCounter<long>("marketplace.orders.placed", description: "Orders placed (checkouts that created an order).");
        outboxPending = meter.CreateUpDownCounter<long>("marketplace.outbox.pending", description: "Events recorded in an order's journal and not yet published.");
        orderDuration = meter.CreateHistogram<double>(OrderDuration, unit: "s", description: "Orders concluded, by status and reason: time from placed to Fulfilled or Cancelled.");
        handlingDuration = meter.CreateHistogram<double>(HandlingDuration, unit: "s", description: "Time a consumer took to handle an event, retries included.");
        flushDuration = meter.CreateHistogram<double>(FlushDuration, unit: "s", description: "Time a consumer took to send the effects it deferred to the end of a delivery (reporting's grouped counts).");
        deadLetters = meter.CreateCounter<long>("marketplace.consumer.dead_letters", description: "Events a consumer failed to handle within its retry budget.");
        retries = meter.CreateCounter<long>("marketplace.consumer.retries", description: "Handling attempts retried after a transient failure.");
        duplicates = meter.CreateCounter<long>(Duplicates, description: "Deliveries of events a consumer had already handled (or whose order it handled in full and forgot).");
        lag = meter.CreateHistogram<double>(ConsumerLag, unit: "s", description: "Per consumer and shard: the age of a delivered batch's oldest event when the batch arrived.");
        undelivered = meter.CreateCounter<long>("marketplace.order.undelivered", description: "Per consumer: orders whose delivery check gave up with events the consumer still had not handled.");
        abandoned = meter.CreateCounter<long>("marketplace.consumer.deliveries_abandoned", description: "Batches the stream skipped for a consumer (it gave up delivering them, or they left its cache first).");
    }

    public void Placed() => ordersPlaced.Add(1);

    /// <summary>Events entered the outbox (recorded, or found unpublished by a new activation): positive; published: negative.</summary>
    public void Outbox(long change) => outboxPending.Add(change);

    public void Concluded(string status, string? reason, TimeSpan sincePlaced) =>
        orderDuration.Record(sincePlaced.TotalSeconds, new TagList { { "status", status }, { "reason", reason } });

    public void Handled(string consumer, string eventType, TimeSpan elapsed) => handlingDuration.Record(elapsed.TotalSeconds, Tags(consumer, eventType));

    public void Flushed(string consumer, TimeSpan elapsed) => flushDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("consumer", consumer));

    public void DeadLettered(string consumer, string eventType) => deadLetters.Add(1, Tags(consumer, eventType));

    public void Retried(string consumer) => retries.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    public void Duplicate(string consumer, string eventType) => duplicates.Add(1, Tags(consumer, eventType));

    public void Lagged(string consumer, string shard, TimeSpan behind) =>
        lag.Record(Math.Max(0, behind.TotalSeconds), new TagList { { "consumer", consumer }, { "shard", shard } });

    public void Undelivered(string consumer) => undelivered.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    public void Abandoned(string consumer) => abandoned.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    private static TagList Tags(string consumer, string eventType) => new() { { "consumer", consumer }, { "event.type", eventType } };
}
