using Marketplace.LoadTest.Invariants;

namespace Marketplace.LoadTest.Targets;

/// <summary>Something to put load on: a running host over HTTP, or a cluster in this process.</summary>
public interface IMarketplaceTarget : IAsyncDisposable
{
    /// <summary>How orders flow: <c>event-driven</c>, or <c>direct</c> for the synchronous chain.</summary>
    string Mode { get; }

    IMarketplaceView View { get; }

    /// <summary>Handling time per consumer, when the target can see inside (in process); else null.</summary>
    ConsumerTimings? ConsumerTimings { get; }

    /// <summary>The grain calls the cluster receives, when the target can see inside (in process); else null.</summary>
    GrainCallCounter? GrainCalls { get; }

    /// <summary>
    /// Raised once per order that reaches Fulfilled or Cancelled, with the time from placed to that
    /// status as the order's journal recorded it.
    /// </summary>
    event Action<TimeSpan>? Concluded;

    Task UpsertProductAsync(PlannedProduct product);

    /// <summary>Per kind of grain state, the largest one stored, in bytes as Table storage would store it; empty when the target cannot see its storage.</summary>
    IReadOnlyDictionary<string, long> LargestStoredStates();

    /// <summary>Checkout; returns the order id. Repeating it with the same key places nothing new.</summary>
    Task<string> PlaceAsync(PlannedOrder order, CancellationToken cancellationToken);
}
