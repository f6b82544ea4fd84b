namespace Marketplace.Contracts.Events;

/// <summary>
/// Where events travel. Each event type has its own namespace, so a consumer subscribes to exactly
/// the events it handles; streams are keyed by a shard of the order id (see <see cref="EventShards"/>),
/// so one order's events share a shard, and a shard's consumer takes many orders' events per delivery.
/// </summary>
public static class EventStreams
{
    /// <summary>The stream provider name, the same in every profile (memory or Event Hubs).</summary>
    public const string Provider = "events";

    public const string OrderPlaced = "order-placed";
    public const string OrderFulfilled = "order-fulfilled";
    public const string OrderCancelled = "order-cancelled";
    public const string PaymentCaptured = "payment-captured";
    public const string PaymentDeclined = "payment-declined";
    public const string PaymentRefunded = "payment-refunded";
    public const string StockReserved = "stock-reserved";
    public const string StockUnavailable = "stock-unavailable";
    public const string StockReleased = "stock-released";
    public const string StockCommitted = "stock-committed";
    public const string ShipmentScheduled = "shipment-scheduled";

    public static IReadOnlyList<string> All { get; } =
    [
        OrderPlaced, OrderFulfilled, OrderCancelled,
        PaymentCaptured, PaymentDeclined, PaymentRefunded,
        StockReserved, StockUnavailable, StockReleased, StockCommitted,
        ShipmentScheduled,
    ];

    /// <summary>The events that end an order's story: after one of them nothing more happens to it.</summary>
    public static bool IsConclusion(OrderEvent e) => e is Events.OrderFulfilled or Events.OrderCancelled;
}
