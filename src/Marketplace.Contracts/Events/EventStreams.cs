namespace Marketplace.Contracts.Events;

/// <summary>
/// Where events travel. Every stream is keyed by order id, so one order's events share a partition;
/// each event type has its own namespace, so a consumer subscribes to exactly the events it handles
/// and pays for no delivery it would ignore.
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

    public static StreamId StreamOf(OrderEvent e) => StreamId.Create(e.StreamNamespace, e.OrderId);
}
