using System.Collections.Immutable;

namespace Marketplace.Contracts.Orders;

/// <summary>One event of an order and which consumers have handled it.</summary>
/// <param name="Pending">Consumers subscribed to the event that have not handled it yet.</param>
/// <param name="DeadLettered">Consumers that gave up on it: see the dead letters.</param>
[GenerateSerializer, Immutable, Alias("marketplace.timeline-entry.v1")]
public sealed record TimelineEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] string Type,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] ImmutableArray<string> HandledBy,
    [property: Id(5)] ImmutableArray<string> Pending,
    [property: Id(6)] ImmutableArray<string> DeadLettered);

/// <summary>
/// An order's timeline, worked out in the cluster (it asks every consumer's shard), so that an API
/// host that is only a client of the cluster can serve it.
/// </summary>
public interface IOrderTimelineGrain : IGrainWithIntegerKey
{
    /// <returns>The entries in sequence order; empty when the order does not exist.</returns>
    Task<ImmutableArray<TimelineEntry>> GetAsync(string orderId);
}

public static class OrderTimelineGrains
{
    /// <summary>Where timelines are worked out (a stateless worker: one key, an activation per silo as needed).</summary>
    public static IOrderTimelineGrain OrderTimelines(this IGrainFactory grains) => grains.GetGrain<IOrderTimelineGrain>(0);
}
