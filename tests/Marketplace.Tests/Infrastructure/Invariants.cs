namespace Marketplace.Tests.Infrastructure;

/// <summary>The seven invariants of API.md, checked over everything a <see cref="Shop"/> did.</summary>
public static class Invariants
{
    public static async Task AssertAllHoldAsync(Shop shop)
    {
        var grains = shop.Grains;
        var orders = await Task.WhenAll(shop.PlacedOrderIds.Select(async id => new
        {
            Order = (await grains.GetGrain<IOrderGrain>(id).GetAsync())!,
            Payment = await grains.GetGrain<IPaymentGrain>(id).GetAsync(),
            Shipment = await grains.GetGrain<IShipmentGrain>(id).GetAsync(),
        }));
        var fulfilled = orders.Where(o => o.Order.Status == OrderStatus.Fulfilled).Select(o => o.Order).ToList();

        foreach (var o in orders)
        {
            var id = o.Order.OrderId;
            // 1. Every placed order ends Fulfilled or Cancelled.
            Assert.True(o.Order.Status != OrderStatus.Placed, $"order {id} is still Placed");
            if (o.Order.Status == OrderStatus.Fulfilled)
            {
                // 2. Fulfilled: captured once, exactly one shipment (stock: see 4).
                Assert.True(o.Payment?.Status == PaymentStatus.Captured, $"fulfilled order {id} has payment {o.Payment?.Status}");
                Assert.Equal(o.Order.Total, o.Payment!.Amount);
                Assert.NotNull(o.Shipment);
            }
            else
            {
                // 3. Cancelled: never captured or refunded, no shipment (reservations: see 4).
                Assert.True(o.Payment?.Status is null or PaymentStatus.Declined or PaymentStatus.Refunded, $"cancelled order {id} has payment {o.Payment?.Status}");
                Assert.Null(o.Shipment);
                Assert.NotNull(o.Order.CancellationReason);
            }
        }

        // 4. Stock: given - units of fulfilled orders = available; nothing reserved; never negative.
        foreach (var (sku, given) in shop.StockGiven)
        {
            var product = (await grains.GetGrain<IProductGrain>(sku).GetAsync())!;
            var sold = fulfilled.SelectMany(o => o.Items).Where(l => l.Sku == sku).Sum(l => l.Quantity);
            Assert.True(given - sold == product.Available, $"{sku}: given {given}, sold {sold}, available {product.Available}");
            Assert.Equal(0, product.Reserved);
            Assert.True(product.Available >= 0);
        }

        // 5. Loyalty points = floor of each fulfilled order's total, per customer.
        foreach (var customer in orders.Select(o => o.Order.CustomerId).Distinct())
        {
            var expected = fulfilled.Where(o => o.CustomerId == customer).Sum(o => (long)decimal.Floor(o.Total));
            var loyalty = await grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync();
            Assert.True(expected == loyalty.Points, $"customer {customer}: expected {expected} points, has {loyalty.Points}");

            // 7. Exactly one order-received and one outcome notification per order.
            var mailbox = await grains.GetGrain<IMailboxGrain>(customer).GetAsync();
            foreach (var o in orders.Where(o => o.Order.CustomerId == customer).Select(o => o.Order))
            {
                var kinds = mailbox.Where(n => n.OrderId == o.OrderId).Select(n => n.Kind).Order().ToList();
                var outcome = o.Status == OrderStatus.Fulfilled ? NotificationKinds.OrderShipped : NotificationKinds.OrderCancelled;
                Assert.Equal(new[] { outcome, NotificationKinds.OrderReceived }.Order(), kinds);
            }
        }

        // 6. Sales report = sums over fulfilled orders; placed = fulfilled + cancelled.
        var report = await grains.GetSalesReportAsync();
        Assert.Equal(orders.Length, report.OrdersPlaced);
        Assert.Equal(fulfilled.Count, report.OrdersFulfilled);
        Assert.Equal(orders.Length - fulfilled.Count, report.OrdersCancelled);
        Assert.Equal(fulfilled.Sum(o => o.Total), report.Revenue);
        Assert.Equal(fulfilled.SelectMany(o => o.Items).Sum(l => l.Quantity), report.UnitsSold);
        foreach (var (sku, sales) in report.BySku)
        {
            var lines = fulfilled.SelectMany(o => o.Items).Where(l => l.Sku == sku).ToList();
            Assert.Equal(lines.Sum(l => l.Quantity), sales.UnitsSold);
            Assert.Equal(lines.Sum(l => l.LineTotal), sales.Revenue);
        }
    }
}
