using System.Collections.Immutable;

namespace Marketplace.Contracts.Events;

/// <summary>Every line of the order is held (all or nothing).</summary>
[GenerateSerializer, Immutable, Alias("marketplace.stock-reserved.v1")]
public sealed record StockReserved : OrderEvent;

/// <summary>At least one line could not be held; nothing is held for the order.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.stock-unavailable.v1")]
public sealed record StockUnavailable(
    [property: Id(0)] ImmutableArray<string> Skus) : OrderEvent;

/// <summary>Compensation: a reservation given back because the order was not paid.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.stock-released.v1")]
public sealed record StockReleased : OrderEvent;

/// <summary>The reservation became a sale: the units left the warehouse with the shipment.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.stock-committed.v1")]
public sealed record StockCommitted : OrderEvent;
