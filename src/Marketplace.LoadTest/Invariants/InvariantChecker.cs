namespace Marketplace.LoadTest.Invariants;

/// <summary>What a run did, for the invariants to be checked against.</summary>
/// <param name="StockGiven">Per sku: initial stock plus restocks.</param>
/// <param name="ReportBefore">The sales report before the run, on a host that already had orders.</param>
public sealed record ShopHistory(IReadOnlyCollection<string> OrderIds, IReadOnlyDictionary<string, int> StockGiven, SalesReport? ReportBefore = null);

/// <summary>The outcome of checking: orders by final status, and every invariant broken (empty when all hold).</summary>
public sealed record InvariantReport(int Fulfilled, int Cancelled, int StillPlaced, IReadOnlyList<string> Violations)
{
    public bool Holds => Violations.Count == 0;
}

/// <summary>
/// The seven invariants of API.md, checked over everything a run did. They hold once the system
/// is quiet; the caller waits for that (see <see cref="CheckWhenQuietAsync"/>).
/// </summary>
public static class InvariantChecker
{
    private const int MaxReadsInFlight = 64;

    /// <summary>Checks until every invariant holds or <paramref name="timeout"/> passes; returns the last check.</summary>
    public static async Task<InvariantReport> CheckWhenQuietAsync(IMarketplaceView view, ShopHistory history, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var report = await CheckAsync(view, history);
            if (report.Holds || DateTimeOffset.UtcNow >= deadline)
            {
                return report;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    public static async Task<InvariantReport> CheckAsync(IMarketplaceView view, ShopHistory history)
    {
        var violations = new Violations();
        var read = await ReadAllAsync(history.OrderIds, async id => (Id: id, Views: await view.GetOrderAsync(id) is { } order
            ? new OrderViews(order, await view.GetPaymentAsync(id), await view.GetShipmentAsync(id))
            : null));
        foreach (var (id, _) in read.Where(r => r.Views is null))
        {
            violations.Check(false, $"0. order {id} was placed (202) but does not exist");
        }

        var orders = read.Select(r => r.Views).OfType<OrderViews>().ToList();
        var fulfilled = orders.Where(o => o.Order.Status == OrderStatus.Fulfilled).Select(o => o.Order).ToList();
        CheckOrders(orders, violations);
        await CheckStockAsync(view, history, fulfilled, violations);
        await CheckCustomersAsync(view, orders, violations);
        var cancelled = orders.Count(o => o.Order.Status == OrderStatus.Cancelled);
        CheckReport(Since(history.ReportBefore, await view.GetSalesReportAsync()), history, orders.Count, fulfilled, cancelled, violations);
        return new InvariantReport(fulfilled.Count, cancelled, orders.Count(o => o.Order.Status == OrderStatus.Placed), violations.All);
    }

    /// <summary>1 to 3: every order ended, and its payment and shipment agree with how.</summary>
    private static void CheckOrders(List<OrderViews> orders, Violations violations)
    {
        foreach (var (order, payment, shipment) in orders)
        {
            var id = order.OrderId;
            switch (order.Status)
            {
                case OrderStatus.Placed:
                    violations.Check(false, $"1. order {id} is still Placed");
                    break;
                case OrderStatus.Fulfilled:
                    violations.Check(payment?.Status == PaymentStatus.Captured && payment.Amount == order.Total,
                        $"2. fulfilled order {id} (total {order.Total}) has payment {payment?.Status} {payment?.Amount}");
                    violations.Check(shipment is not null, $"2. fulfilled order {id} has no shipment");
                    break;
                case OrderStatus.Cancelled:
                    violations.Check(payment?.Status is null or PaymentStatus.Declined or PaymentStatus.Refunded, $"3. cancelled order {id} has payment {payment?.Status}");
                    violations.Check(shipment is null, $"3. cancelled order {id} has a shipment");
                    violations.Check(order.CancellationReason is not null, $"3. cancelled order {id} has no reason");
                    break;
            }
        }
    }

    /// <summary>4. Stock: given - units of fulfilled orders = available; nothing reserved; never negative.</summary>
    private static async Task CheckStockAsync(IMarketplaceView view, ShopHistory history, List<OrderSnapshot> fulfilled, Violations violations)
    {
        var sold = UnitsSold(fulfilled);
        foreach (var (sku, given) in history.StockGiven)
        {
            var product = await view.GetProductAsync(sku);
            var units = sold.GetValueOrDefault(sku);
            violations.Check(product is not null && given - units == product.Available && product.Reserved == 0 && product.Available >= 0,
                $"4. {sku}: given {given}, sold {units}, available {product?.Available}, reserved {product?.Reserved}");
        }
    }

    /// <summary>5 and 7, per customer: loyalty points, and one received and one outcome notification per order.</summary>
    private static async Task CheckCustomersAsync(IMarketplaceView view, List<OrderViews> orders, Violations violations)
    {
        var byCustomer = orders.Select(o => o.Order).GroupBy(o => o.CustomerId).ToList();
        var customers = await ReadAllAsync(byCustomer, async g => (Orders: g, Loyalty: await view.GetLoyaltyAsync(g.Key), Mailbox: await view.GetNotificationsAsync(g.Key)));
        foreach (var (customerOrders, loyalty, mailbox) in customers)
        {
            var expected = customerOrders.Where(o => o.Status == OrderStatus.Fulfilled).Sum(o => (long)decimal.Floor(o.Total));
            violations.Check(expected == loyalty.Points, $"5. customer {customerOrders.Key}: expected {expected} points, has {loyalty.Points}");
            var kindsByOrder = mailbox.ToLookup(n => n.OrderId, n => n.Kind);
            foreach (var order in customerOrders)
            {
                var outcome = order.Status == OrderStatus.Fulfilled ? NotificationKinds.OrderShipped : NotificationKinds.OrderCancelled;
                var kinds = kindsByOrder[order.OrderId].Order(StringComparer.Ordinal).ToList();
                violations.Check(kinds.SequenceEqual(new[] { outcome, NotificationKinds.OrderReceived }.Order(StringComparer.Ordinal)),
                    $"7. order {order.OrderId} ({order.Status}) has notifications [{string.Join(", ", kinds)}]");
            }
        }
    }

    /// <summary>6. Sales report = sums over fulfilled orders; placed = fulfilled + cancelled.</summary>
    private static void CheckReport(SalesReport report, ShopHistory history, int placed, List<OrderSnapshot> fulfilled, int cancelled, Violations violations)
    {
        var sold = UnitsSold(fulfilled);
        violations.Check(report.OrdersPlaced == placed && report.OrdersFulfilled == fulfilled.Count && report.OrdersCancelled == cancelled,
            $"6. report counts placed {report.OrdersPlaced} / fulfilled {report.OrdersFulfilled} / cancelled {report.OrdersCancelled}, " +
            $"orders say {placed} / {fulfilled.Count} / {cancelled}");
        violations.Check(report.Revenue == fulfilled.Sum(o => o.Total) && report.UnitsSold == sold.Values.Sum(),
            $"6. report revenue {report.Revenue} and units {report.UnitsSold}, orders say {fulfilled.Sum(o => o.Total)} and {sold.Values.Sum()}");
        foreach (var (sku, sales) in report.BySku.Where(s => history.StockGiven.ContainsKey(s.Key)))
        {
            var lines = fulfilled.SelectMany(o => o.Items).Where(l => l.Sku == sku).ToList();
            violations.Check(sales.UnitsSold == lines.Sum(l => l.Quantity) && sales.Revenue == lines.Sum(l => l.LineTotal),
                $"6. report for {sku}: {sales.UnitsSold} units, {sales.Revenue}; orders say {lines.Sum(l => l.Quantity)}, {lines.Sum(l => l.LineTotal)}");
        }
    }

    private static Dictionary<string, int> UnitsSold(List<OrderSnapshot> fulfilled) =>
        fulfilled.SelectMany(o => o.Items).GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));

    private static SalesReport Since(SalesReport? before, SalesReport now) => before is null ? now : now with
    {
        OrdersPlaced = now.OrdersPlaced - before.OrdersPlaced,
        OrdersFulfilled = now.OrdersFulfilled - before.OrdersFulfilled,
        OrdersCancelled = now.OrdersCancelled - before.OrdersCancelled,
        Revenue = now.Revenue - before.Revenue,
        UnitsSold = now.UnitsSold - before.UnitsSold,
    };

    /// <summary>Reads many views at once, but not all at once: a remote host gets a bounded number of requests.</summary>
    private static async Task<List<TResult>> ReadAllAsync<T, TResult>(IEnumerable<T> items, Func<T, Task<TResult>> read)
    {
        var results = new List<TResult>();
        foreach (var chunk in items.Chunk(MaxReadsInFlight))
        {
            results.AddRange(await Task.WhenAll(chunk.Select(read)));
        }

        return results;
    }

    private sealed record OrderViews(OrderSnapshot Order, PaymentSnapshot? Payment, ShipmentSnapshot? Shipment);

    private sealed class Violations
    {
        public List<string> All { get; } = [];

        public void Check(bool holds, string violation)
        {
            if (!holds)
            {
                All.Add(violation);
            }
        }
    }
}
