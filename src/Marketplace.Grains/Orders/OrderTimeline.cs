using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Orders;

/// <summary>
/// Reads an order's timeline: the journal from the order grain, the handling from each consumer's
/// own idempotency record. Nothing is written on the event path to keep it.
/// </summary>
public sealed class OrderTimeline(IGrainFactory grains, ConsumerCatalog consumers, EventShards shards)
{
    /// <returns>The entries in sequence order, or null when the order does not exist.</returns>
    public async Task<ImmutableArray<TimelineEntry>?> GetAsync(string orderId)
    {
        var events = await grains.GetGrain<IOrderGrain>(orderId).GetEventsAsync();
        return events.IsEmpty ? null : await BuildAsync(orderId, events);
    }

    /// <summary>The timeline of events already in hand (the order grain's own, for its delivery check).</summary>
    public async Task<ImmutableArray<TimelineEntry>> BuildAsync(string orderId, IReadOnlyList<OrderEvent> events)
    {
        var conclusion = events.LastOrDefault(EventStreams.IsConclusion);
        var progress = await ProgressAsync(orderId, consumers.All.Where(c => events.Any(e => c.Handles(e.StreamNamespace))), conclusion);

        return [.. events.Select(e =>
        {
            var subscribed = progress.Select(x => (c: x.Consumer, p: x.Progress)).Where(x => x.c.Handles(e.StreamNamespace)).ToList();
            // A consumer that has forgotten a concluded order handled all of it (when, it no longer says).
            var handled = subscribed.Where(x => x.p.Handled.ContainsKey(e.EventId) || x.p.Forgotten)
                .OrderBy(x => x.p.Handled.GetValueOrDefault(e.EventId, DateTimeOffset.MaxValue)).Select(x => x.c.Name).ToImmutableArray();
            var unhandled = subscribed.Where(x => !x.p.Handled.ContainsKey(e.EventId) && !x.p.Forgotten).ToList();
            var pending = unhandled.Where(x => !x.p.DeadLettered.Contains(e.EventId)).Select(x => x.c.Name).ToImmutableArray();
            var deadLettered = unhandled.Where(x => x.p.DeadLettered.Contains(e.EventId)).Select(x => x.c.Name).ToImmutableArray();
            return new TimelineEntry(e.Sequence, e.EventId, e.TypeName, e.OccurredAt, handled, pending, deadLettered);
        })];
    }

    /// <summary>What each consumer (all of them, unless narrowed) has done for the order.</summary>
    public async Task<IReadOnlyList<(ConsumerDescriptor Consumer, ConsumerProgress Progress)>> ProgressAsync(
        string orderId, IEnumerable<ConsumerDescriptor>? only = null, OrderEvent? conclusion = null)
    {
        var asked = (only ?? consumers.All).ToList();
        var progress = await Task.WhenAll(asked.Select(c => ConsumerOf(c, orderId).GetProgressAsync(orderId, conclusion)));
        return [.. asked.Zip(progress)];
    }

    /// <summary>The activation of <paramref name="consumer"/> that handles the order: the one of its shard.</summary>
    public IOrderEventConsumer ConsumerOf(ConsumerDescriptor consumer, string orderId) =>
        grains.GetGrain<IOrderEventConsumer>(GrainId.Create(consumer.GrainType, shards.KeyOf(orderId)));
}

/// <summary>Serves <see cref="OrderTimeline"/> to callers outside the silos, on whichever silo it is called from.</summary>
[StatelessWorker]
[GrainType("order-timeline")]
public sealed class OrderTimelineGrain(OrderTimeline timeline) : Grain, IOrderTimelineGrain
{
    public async Task<ImmutableArray<TimelineEntry>> GetAsync(string orderId) => await timeline.GetAsync(orderId) ?? [];
}
