using System.Collections.Immutable;
using Marketplace.Contracts.Events;

namespace Marketplace.Contracts.Consumers;

/// <summary>
/// What one consumer has done for one order: the ids of the events it handled (and when), and of
/// those it gave up on (dead letters, waiting for a replay). <see cref="Forgotten"/>: the order
/// concluded long enough ago that the consumer has pruned its record, having handled every event of
/// it that it subscribes to.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketplace.consumer-progress.v1")]
public sealed record ConsumerProgress(
    [property: Id(0)] ImmutableDictionary<Guid, DateTimeOffset> Handled,
    [property: Id(1)] int DuplicatesIgnored,
    [property: Id(2)] ImmutableHashSet<Guid> DeadLettered,
    [property: Id(3)] bool Forgotten = false);

/// <summary>
/// Implemented by every consumer grain (key: the shard, see <see cref="EventShards"/>): one
/// activation per concern per shard takes the shard's events in batches. Each consumer is its own
/// grain type, so its name is its grain type (<c>[GrainType("payment")]</c>).
/// </summary>
public interface IOrderEventConsumer : IGrainWithStringKey
{
    /// <param name="conclusion">The order's terminal event, if it has one: tells a pruned record from none.</param>
    /// <remarks>Interleaves, so a timeline read never waits behind a batch.</remarks>
    [AlwaysInterleave]
    Task<ConsumerProgress> GetProgressAsync(string orderId, OrderEvent? conclusion = null);

    /// <summary>
    /// Handles an event outside the stream (a dead letter's replay): as a delivery would, but a
    /// failure is thrown to the caller instead of being dead-lettered again.
    /// </summary>
    Task ReplayAsync(OrderEvent @event);

    /// <summary>
    /// Delivers an event again to this consumer alone (the order's delivery check found it missing):
    /// handled as a stream delivery is, retried and dead-lettered on failure; a duplicate is ignored.
    /// </summary>
    [OneWay]
    Task RedeliverAsync(OrderEvent @event);
}
