using System.Collections.Immutable;
using Marketplace.Contracts.Events;

namespace Marketplace.Contracts.Orders;

/// <summary>
/// The order (key: order id) and the journal of its events. It is the only writer of the order's
/// streams: services report their outcomes here, the journal stamps and publishes them.
/// </summary>
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Checkout. Idempotent: the same request again returns the same order.</summary>
    Task<PlaceOrderResult> PlaceAsync(PlaceOrder command);

    [ReadOnly]
    Task<OrderSnapshot?> GetAsync();

    /// <summary>Every event of the order, in sequence order.</summary>
    [ReadOnly]
    Task<ImmutableArray<OrderEvent>> GetEventsAsync();

    /// <summary>
    /// Records a service's outcome, caused by <paramref name="causationId"/>, and publishes it.
    /// Each kind of fact happens at most once per order, so a repeated append returns the event
    /// already recorded instead of adding a second one.
    /// </summary>
    Task<OrderEvent> AppendAsync(OrderEvent outcome, Guid causationId);

    /// <summary>
    /// The events after the first <paramref name="afterSequence"/>, once there are any (on record),
    /// or none after <paramref name="maxWait"/>: the push behind live views. Interleaves with the
    /// appends it waits for.
    /// </summary>
    [AlwaysInterleave]
    Task<ImmutableArray<OrderEvent>> WaitForEventsAsync(int afterSequence, TimeSpan maxWait);
}

/// <summary>The latest orders placed through the API (key: "all"), for operators; kept in memory.</summary>
public interface IRecentOrdersGrain : IGrainWithStringKey
{
    [OneWay]
    Task AddAsync(string orderId);

    [ReadOnly]
    Task<ImmutableArray<string>> GetAsync();
}

/// <summary>A customer's orders (key: customer id), for listing.</summary>
public interface ICustomerOrdersGrain : IGrainWithStringKey
{
    Task AddAsync(string orderId);

    [ReadOnly]
    Task<ImmutableArray<string>> GetOrderIdsAsync();
}
