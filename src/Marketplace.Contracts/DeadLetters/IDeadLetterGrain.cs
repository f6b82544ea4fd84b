using System.Collections.Immutable;
using Marketplace.Contracts.Events;

namespace Marketplace.Contracts.DeadLetters;

/// <summary>An event a consumer failed to handle within its retry budget (API.md, admin routes).</summary>
[GenerateSerializer, Immutable, Alias("marketplace.dead-letter.v1")]
public sealed record DeadLetter(
    [property: Id(0)] string Id,
    [property: Id(1)] string Consumer,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string OrderId,
    [property: Id(4)] string Type,
    [property: Id(5)] string Error,
    [property: Id(6)] int Attempts,
    [property: Id(7)] DateTimeOffset FailedAt);

public enum ReplayOutcome
{
    /// <summary>The consumer handled the event (or had already): the letter is closed.</summary>
    Handled,
    /// <summary>The consumer failed again; the letter stays open with the new error.</summary>
    Failed,
    /// <summary>No such dead letter.</summary>
    NotFound,
}

[GenerateSerializer, Immutable, Alias("marketplace.replay-result.v1")]
public sealed record ReplayResult(
    [property: Id(0)] ReplayOutcome Outcome,
    [property: Id(1)] DeadLetter? Letter);

/// <summary>
/// One consumer's failure on one event (key: the dead letter's id, derived from consumer and event,
/// so the same failure recorded twice is one letter). Holds the event itself, for replay.
/// </summary>
public interface IDeadLetterGrain : IGrainWithStringKey
{
    /// <remarks>
    /// Interleaves: a consumer records while this letter may be replaying into that same consumer;
    /// waiting on each other would deadlock.
    /// </remarks>
    [AlwaysInterleave]
    Task RecordAsync(DeadLetter letter, OrderEvent @event);

    /// <summary>Hands the event to its consumer again. Idempotent: a closed letter is not replayed twice.</summary>
    Task<ReplayResult> ReplayAsync();

    [ReadOnly]
    Task<DeadLetter?> GetAsync();

    /// <summary>The consumer handled the event after all (a redelivery, a later event's catch-up): close the letter.</summary>
    [AlwaysInterleave]
    Task CloseAsync();
}

/// <summary>The open dead letters (one instance, key 0), for listing.</summary>
public interface IDeadLetterIndexGrain : IGrainWithIntegerKey
{
    Task AddAsync(string id);

    Task RemoveAsync(string id);

    [ReadOnly]
    Task<ImmutableArray<string>> GetIdsAsync();
}

public static class DeadLetters
{
    /// <summary>The one index of open dead letters.</summary>
    public static IDeadLetterIndexGrain DeadLetterIndex(this IGrainFactory grains) => grains.GetGrain<IDeadLetterIndexGrain>(0);

    /// <summary>The open dead letters, oldest failure first.</summary>
    public static async Task<DeadLetter[]> GetOpenDeadLettersAsync(this IGrainFactory grains)
    {
        var ids = await grains.DeadLetterIndex().GetIdsAsync();
        var letters = await Task.WhenAll(ids.Select(id => grains.GetGrain<IDeadLetterGrain>(id).GetAsync()));
        return [.. letters.OfType<DeadLetter>().OrderBy(l => l.FailedAt)];
    }
}
