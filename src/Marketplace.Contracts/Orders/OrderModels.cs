using System.Collections.Immutable;

using System.Text.Json.Serialization;

namespace Marketplace.Contracts.Orders;

[GenerateSerializer, Immutable, Alias("marketplace.address.v1")]
public sealed record Address(
    [property: Id(0)] string Name,
    [property: Id(1)] string Line1,
    [property: Id(2)] string City,
    [property: Id(3)] string PostalCode,
    [property: Id(4)] string Country);

/// <summary>A line as the customer asked for it.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.order-item.v1")]
public sealed record OrderItem(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Quantity);

/// <summary>A line with the price snapshotted at checkout; later price changes never touch it.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.order-line.v1")]
public sealed record OrderLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Quantity,
    [property: Id(2)] decimal UnitPrice)
{
    [JsonIgnore]
    public decimal LineTotal => UnitPrice * Quantity;
}

[GenerateSerializer, Immutable, Alias("marketplace.place-order.v1")]
public sealed record PlaceOrder(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ImmutableArray<OrderItem> Items,
    [property: Id(2)] string PaymentToken,
    [property: Id(3)] Address ShippingAddress);

public enum OrderStatus
{
    Placed,
    Fulfilled,
    Cancelled,
}

public static class OrderStatuses
{
    /// <summary>The order has ended: nothing more happens to it.</summary>
    public static bool IsConcluded(this OrderStatus status) => status is OrderStatus.Fulfilled or OrderStatus.Cancelled;
}

[GenerateSerializer, Immutable, Alias("marketplace.order.v1")]
public sealed record OrderSnapshot(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] ImmutableArray<OrderLine> Items,
    [property: Id(4)] decimal Total,
    [property: Id(5)] DateTimeOffset PlacedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] string? CancellationReason);

public enum PlaceOrderOutcome
{
    /// <summary>A new order was placed.</summary>
    Placed,
    /// <summary>The same request was placed before; the existing order is returned.</summary>
    AlreadyPlaced,
    /// <summary>Some skus are not in the catalog; nothing was placed.</summary>
    UnknownSkus,
    /// <summary>This order id already belongs to a different request; nothing changed.</summary>
    Conflict,
}

[GenerateSerializer, Immutable, Alias("marketplace.place-order-result.v1")]
public sealed record PlaceOrderResult(
    [property: Id(0)] PlaceOrderOutcome Outcome,
    [property: Id(1)] OrderSnapshot? Order,
    [property: Id(2)] ImmutableArray<string> UnknownSkus);
