using System.Collections.Immutable;
using Marketplace.Contracts.Events;

namespace Marketplace.Contracts.Consumers;

/// <summary>
/// What one consumer has done for one order: the ids of the events it handled (and when), and of
/// those it gave up on (dead letters, waiting for a replay).
/// </summary>
[GenerateSerializer, Immutable, Alias("marketplace.consumer-progress.v1")]
public sealed record ConsumerProgress(
    [property: Id(0)] ImmutableDictionary<Guid, DateTimeOffset> Handled,
    [property: Id(1)] int DuplicatesIgnored,
    [property: Id(2)] ImmutableHashSet<Guid> DeadLettered);

/// <summary>
/// Implemented by every consumer grain (key: order id). Each consumer is its own grain type, so
/// its name is its grain type (<c>[GrainType("payment")]</c>).
/// </summary>
public interface IOrderEventConsumer : IGrainWithStringKey
{
    /// <remarks>Interleaves, so a timeline read never waits behind a handler that is retrying.</remarks>
    [AlwaysInterleave]
    Task<ConsumerProgress> GetProgressAsync();

    /// <summary>
    /// Handles an event outside the stream (a dead letter's replay): as a delivery would, but a
    /// failure is thrown to the caller instead of being dead-lettered again.
    /// </summary>
    Task ReplayAsync(OrderEvent @event);
}
