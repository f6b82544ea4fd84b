using System.Collections.Immutable;
using Marketplace.Contracts.Orders;

namespace Marketplace.Contracts.Events;

/// <summary>Checkout: the one event the order publishes; everything downstream reacts to it.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.order-placed.v1")]
public sealed record OrderPlaced(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ImmutableArray<OrderLine> Items,
    [property: Id(2)] decimal Total,
    [property: Id(3)] string PaymentToken,
    [property: Id(4)] Address ShippingAddress) : OrderEvent;

/// <summary>Payment captured, stock committed and shipment scheduled: the order is done.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.order-fulfilled.v1")]
public sealed record OrderFulfilled(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ImmutableArray<OrderLine> Items,
    [property: Id(2)] decimal Total,
    [property: Id(3)] string TrackingNumber) : OrderEvent;

/// <summary>The saga gave up and every compensation it needed has happened.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.order-cancelled.v1")]
public sealed record OrderCancelled(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] decimal Total,
    [property: Id(2)] string Reason) : OrderEvent;
