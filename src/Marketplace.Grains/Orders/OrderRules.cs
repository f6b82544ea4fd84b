namespace Marketplace.Grains.Orders;

/// <summary>
/// The order's status as a fold over its events, and the terminal event the facts call for.
/// The order commands nobody: services decide their own compensations by reacting to events;
/// the order only recognises when the story has ended.
/// </summary>
public static class OrderRules
{
    public static class Reasons
    {
        public const string OutOfStock = "out-of-stock";
    }

    /// <summary>
    /// True when <paramref name="candidate"/> states the opposite of <paramref name="recorded"/>
    /// (paid and declined, held and unavailable). The first fact recorded wins; a contradicting
    /// report, possible only from a replay after partial failure, is not recorded.
    /// </summary>
    public static bool Contradicts(OrderEvent recorded, OrderEvent candidate) => (recorded, candidate) switch
    {
        (PaymentCaptured, PaymentDeclined) or (PaymentDeclined, PaymentCaptured) => true,
        (StockReserved, StockUnavailable) or (StockUnavailable, StockReserved) => true,
        _ => false,
    };

    public static OrderSnapshot? Project(string orderId, IReadOnlyList<OrderEvent> events)
    {
        if (events.Count == 0 || events[0] is not OrderPlaced placed)
        {
            return null;
        }

        var status = OrderStatus.Placed;
        string? reason = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case OrderFulfilled:
                    status = OrderStatus.Fulfilled;
                    break;
                case OrderCancelled cancelled:
                    status = OrderStatus.Cancelled;
                    reason = cancelled.Reason;
                    break;
            }
        }

        return new OrderSnapshot(
            orderId, placed.CustomerId, status, placed.Items, placed.Total,
            placed.OccurredAt, events[^1].OccurredAt, reason);
    }

    /// <summary>The terminal event due now, or null while the saga is still running.</summary>
    public static OrderEvent? Conclude(IReadOnlyList<OrderEvent> events)
    {
        if (events.Count == 0 || events[0] is not OrderPlaced placed || events.Any(EventStreams.IsConclusion))
        {
            return null;
        }

        var shipment = events.OfType<ShipmentScheduled>().FirstOrDefault();
        var declined = events.OfType<PaymentDeclined>().FirstOrDefault();
        bool Has<T>() => events.Any(e => e is T);

        if (shipment is not null && Has<PaymentCaptured>() && Has<StockCommitted>())
        {
            return new OrderFulfilled(placed.CustomerId, placed.Items, placed.Total, shipment.TrackingNumber);
        }

        // Not paid: cancelled once inventory holds nothing for the order.
        if (declined is not null && (Has<StockUnavailable>() || Has<StockReleased>()))
        {
            return new OrderCancelled(placed.CustomerId, placed.Total, declined.Reason);
        }

        // No stock: cancelled once the captured money is back (a declined payment is the rule above).
        if (Has<StockUnavailable>() && Has<PaymentRefunded>())
        {
            return new OrderCancelled(placed.CustomerId, placed.Total, Reasons.OutOfStock);
        }

        return null;
    }
}
