namespace Marketplace.Tests.Delivery;

/// <summary>
/// A consumer can crash between its effect and committing the event it handled; the replay then
/// repeats the effect. Every id-carrying entity call must change nothing the second time.
/// </summary>
public sealed class EntityIdempotencyTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task Reserve_release_and_commit_take_effect_once_per_order()
    {
        var sku = Shop.NewId("SKU");
        var product = Grains.GetGrain<IProductGrain>(sku);
        await product.UpsertAsync("Widget", 1m, 10);

        Assert.True(await product.ReserveAsync("o1", 3));
        Assert.True(await product.ReserveAsync("o1", 3));
        Assert.Equal((7, 3), await StockAsync());

        await product.CommitAsync("o1");
        await product.CommitAsync("o1");
        await product.ReleaseAsync("o1"); // sold units are never given back
        Assert.Equal((7, 0), await StockAsync());

        Assert.True(await product.ReserveAsync("o2", 2));
        await product.ReleaseAsync("o2");
        await product.ReleaseAsync("o2");
        Assert.Equal((7, 0), await StockAsync());
        Assert.False(await product.ReserveAsync("o2", 2)); // a released order never holds stock again

        await product.ReleaseAsync("o3"); // release arriving before the reservation
        Assert.False(await product.ReserveAsync("o3", 1));
        Assert.False(await product.ReserveAsync("o4", 8)); // more than available
        Assert.Equal((7, 0), await StockAsync());

        async Task<(int, int)> StockAsync()
        {
            var p = (await product.GetAsync())!;
            return (p.Available, p.Reserved);
        }
    }

    [Fact]
    public async Task Payment_is_charged_once_and_refunded_once()
    {
        var payment = Grains.GetGrain<IPaymentGrain>(Guid.NewGuid().ToString());
        Assert.Null(await payment.RefundAsync());

        var first = await payment.CaptureAsync(10m, PaymentTokens.Visa);
        Assert.Equal(first, await payment.CaptureAsync(99m, PaymentTokens.ChargeDeclined));

        var refunded = await payment.RefundAsync();
        Assert.Equal(refunded, await payment.RefundAsync());
        Assert.Equal((PaymentStatus.Refunded, 10m, 1), (refunded!.Status, refunded.Amount, refunded.Attempts));
        Assert.Equal(refunded, await payment.CaptureAsync(10m, PaymentTokens.Visa));
    }

    [Fact]
    public async Task Shipment_loyalty_mail_and_report_count_each_order_once()
    {
        var orderId = Guid.NewGuid().ToString();
        var shipment = Grains.GetGrain<IShipmentGrain>(orderId);
        var first = await shipment.ScheduleAsync(Shop.Address);
        Assert.Equal(first, await shipment.ScheduleAsync(Shop.Address with { City = "Elsewhere" }));

        var customer = Shop.NewId("cust");
        var loyalty = Grains.GetGrain<ICustomerLoyaltyGrain>(customer);
        await loyalty.AwardAsync(orderId, 1500.99m);
        Assert.Equal(new LoyaltySnapshot(customer, 1500, "Silver"), await loyalty.AwardAsync(orderId, 1500.99m));

        var mailbox = Grains.GetGrain<IMailboxGrain>(customer);
        var sent = await mailbox.SendAsync(orderId, NotificationKinds.OrderReceived, "Hello");
        Assert.Equal(sent, await mailbox.SendAsync(orderId, NotificationKinds.OrderReceived, "Hello again"));
        Assert.Single(await mailbox.GetAsync());

        var report = Grains.ForOrder(orderId);
        var before = await report.GetAsync();
        var lines = ImmutableArray.Create(new OrderLine("SKU-R", 2, 5m));
        for (var i = 0; i < 2; i++)
        {
            await report.RecordPlacedAsync(orderId);
            await report.RecordFulfilledAsync(orderId, lines);
        }

        var totals = await report.GetAsync();
        Assert.Equal(
            (1, 1, 10m, 2),
            (totals.OrdersPlaced - before.OrdersPlaced, totals.OrdersFulfilled - before.OrdersFulfilled,
             totals.Revenue - before.Revenue, totals.UnitsSold - before.UnitsSold));
    }

    [Fact]
    public async Task The_report_counts_each_order_once_in_grouped_calls_too()
    {
        var report = Grains.GetGrain<ISalesReportGrain>(7);
        var before = await report.GetAsync();
        var lines = ImmutableArray.Create(new OrderLine("SKU-G", 3, 4m));
        var (kept, declined) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        ImmutableArray<OrderEvent> batch =
        [
            new OrderPlaced("cust", lines, 12m, PaymentTokens.Visa, Shop.Address) { OrderId = kept },
            new OrderPlaced("cust", lines, 12m, PaymentTokens.ChargeDeclined, Shop.Address) { OrderId = declined },
            new OrderFulfilled("cust", lines, 12m, "TRACK-1") { OrderId = kept },
            new OrderCancelled("cust", 12m, "payment-declined") { OrderId = declined },
        ];

        await report.RecordAsync(batch);
        await report.RecordAsync(batch); // the batch handled again after a failed commit

        var totals = await report.GetAsync();
        Assert.Equal(
            (2, 1, 1, 12m, 3),
            (totals.OrdersPlaced - before.OrdersPlaced, totals.OrdersFulfilled - before.OrdersFulfilled, totals.OrdersCancelled - before.OrdersCancelled,
             totals.Revenue - before.Revenue, totals.UnitsSold - before.UnitsSold));
    }

    [Fact]
    public async Task The_journal_records_each_outcome_once_and_returns_the_recorded_event_on_repeat()
    {
        var sku = Shop.NewId("SKU");
        await fixture.Shop.AddProductAsync(sku, 1m, 0); // no stock: the saga stops at StockUnavailable + refund
        var order = await fixture.Shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));
        await fixture.Shop.SettledAsync(order.OrderId);
        var journal = Grains.GetGrain<IOrderGrain>(order.OrderId);
        var events = await journal.GetEventsAsync();

        var again = await journal.AppendAsync(new PaymentCaptured(1m, 7), Guid.NewGuid());

        var contradiction = await journal.AppendAsync(new PaymentDeclined("payment-declined", 1), Guid.NewGuid());

        Assert.Equal(events.OfType<PaymentCaptured>().Single().EventId, again.EventId);
        Assert.Equal(again.EventId, contradiction.EventId);
        Assert.Equal(events.Length, (await journal.GetEventsAsync()).Length);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Grains.GetGrain<IOrderGrain>("no-such-order").AppendAsync(new StockReserved(), Guid.NewGuid()));
    }
}
