using Marketplace.Grains.Payments;

namespace Marketplace.Tests.Sagas;

/// <summary>
/// Every path of the checkout saga, end to end through real streams on a two-silo cluster: memory
/// streams (embedded), and the Event Hubs adapter with Table storage (local profile).
/// </summary>
public abstract class SagaPathTests<TFixture>(TFixture fixture) where TFixture : ClusterFixture
{
    private static readonly string[] SixConsumers = ["email", "inventory", "loyalty", "payment", "reporting", "shipping"];

    private Shop Shop => fixture.Shop;

    private IGrainFactory Grains => fixture.Shop.Grains;

    [Fact]
    public async Task Approved_payment_fulfils_the_order_and_every_consumer_plays_its_part()
    {
        var sku = await NewProductAsync(12.50m, stock: 10);
        var customer = Shop.NewId("cust");

        var placed = await Shop.PlaceAsync(customer, PaymentTokens.Visa, (sku, 3));
        Assert.Equal((OrderStatus.Placed, 37.50m), (placed.Status, placed.Total));

        var order = await Shop.SettledAsync(placed.OrderId);
        Assert.Equal((OrderStatus.Fulfilled, null), (order.Status, order.CancellationReason));

        var payment = await Grains.GetGrain<IPaymentGrain>(order.OrderId).GetAsync();
        Assert.Equal(new PaymentSnapshot(order.OrderId, PaymentStatus.Captured, 37.50m, 1, null), payment);

        var shipment = (await Grains.GetGrain<IShipmentGrain>(order.OrderId).GetAsync())!;
        Assert.Equal(("Scheduled", Shop.Address), (shipment.Status, shipment.Address));
        Assert.Matches("^MP[0-9A-F]{12}$", shipment.TrackingNumber);

        await AssertStockAsync(sku, available: 7);
        Assert.Equal(new LoyaltySnapshot(customer, 37, "Bronze"), await Grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync());

        var mail = await Grains.GetGrain<IMailboxGrain>(customer).GetAsync();
        Assert.Equal([NotificationKinds.OrderReceived, NotificationKinds.OrderShipped], mail.Select(n => n.Kind));
        Assert.Contains(shipment.TrackingNumber, mail[1].Subject, StringComparison.Ordinal);

        var report = await Grains.GetSalesReportAsync();
        Assert.Equal(new SkuSales(3, 37.50m), report.BySku[sku]);

        var timeline = (await Shop.TimelineAsync(order.OrderId))!.Value;
        var types = timeline.Select(e => e.Type).ToList();
        Assert.Equal("OrderPlaced", types[0]);
        Assert.Equal(["ShipmentScheduled", "StockCommitted", "OrderFulfilled"], types[^3..]);
        Assert.Equal(["PaymentCaptured", "StockReserved"], types[1..3].Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), timeline.Select(e => e.Sequence));
        Assert.Superset(SixConsumers.ToHashSet(), timeline.SelectMany(e => e.HandledBy).ToHashSet());

        await Invariants.AssertAllHoldAsync(Shop);
    }

    [Fact]
    public async Task Declined_payment_cancels_the_order_and_releases_the_reservation()
    {
        var sku = await NewProductAsync(20m, stock: 5);
        var customer = Shop.NewId("cust");

        var order = await Shop.SettledAsync((await Shop.PlaceAsync(customer, PaymentTokens.ChargeDeclined, (sku, 2))).OrderId);

        Assert.Equal((OrderStatus.Cancelled, "payment-declined"), (order.Status, order.CancellationReason));
        Assert.Equal(PaymentStatus.Declined, (await Grains.GetGrain<IPaymentGrain>(order.OrderId).GetAsync())!.Status);
        Assert.Null(await Grains.GetGrain<IShipmentGrain>(order.OrderId).GetAsync());
        await AssertStockAsync(sku, available: 5);
        Assert.Equal(0, (await Grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync()).Points);

        var mail = await Grains.GetGrain<IMailboxGrain>(customer).GetAsync();
        Assert.Equal([NotificationKinds.OrderReceived, NotificationKinds.OrderCancelled], mail.Select(n => n.Kind));

        // Inventory reserved (or found nothing to hold), then gave everything back.
        var types = (await Shop.TimelineAsync(order.OrderId))!.Value.Select(e => e.Type).ToList();
        Assert.Contains("PaymentDeclined", types);
        Assert.True(types.Contains("StockReleased") || types.Contains("StockUnavailable"), string.Join(", ", types));
        Assert.DoesNotContain("ShipmentScheduled", types);

        await Invariants.AssertAllHoldAsync(Shop);
    }

    [Fact]
    public async Task Out_of_stock_cancels_the_order_and_refunds_the_captured_payment()
    {
        var sku = await NewProductAsync(30m, stock: 1);
        var customer = Shop.NewId("cust");

        var order = await Shop.SettledAsync((await Shop.PlaceAsync(customer, PaymentTokens.Mastercard, (sku, 2))).OrderId);

        Assert.Equal((OrderStatus.Cancelled, "out-of-stock"), (order.Status, order.CancellationReason));
        var payment = (await Grains.GetGrain<IPaymentGrain>(order.OrderId).GetAsync())!;
        Assert.Equal((PaymentStatus.Refunded, 60m), (payment.Status, payment.Amount));
        Assert.Null(await Grains.GetGrain<IShipmentGrain>(order.OrderId).GetAsync());
        await AssertStockAsync(sku, available: 1);
        Assert.Equal(0, (await Grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync()).Points);

        var types = (await Shop.TimelineAsync(order.OrderId))!.Value.Select(e => e.Type).ToList();
        Assert.Equal(["PaymentRefunded", "OrderCancelled"], types[^2..]);
        Assert.Contains("StockUnavailable", types);
        Assert.Contains("PaymentCaptured", types);

        await Invariants.AssertAllHoldAsync(Shop);
    }

    [Fact]
    public async Task Out_of_stock_on_one_line_holds_nothing_of_the_others()
    {
        var plenty = await NewProductAsync(5m, stock: 50);
        var scarce = await NewProductAsync(5m, stock: 1);

        var order = await Shop.SettledAsync((await Shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (plenty, 4), (scarce, 3))).OrderId);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        await AssertStockAsync(plenty, available: 50);
        await AssertStockAsync(scarce, available: 1);
        var unavailable = (await Grains.GetGrain<IOrderGrain>(order.OrderId).GetEventsAsync()).OfType<StockUnavailable>().Single();
        Assert.Equal([scarce], unavailable.Skus.AsEnumerable());
    }

    [Fact]
    public async Task Processing_error_is_retried_until_the_gateway_approves()
    {
        var sku = await NewProductAsync(99.99m, stock: 3);
        var customer = Shop.NewId("cust");

        var order = await Shop.SettledAsync((await Shop.PlaceAsync(customer, PaymentTokens.ProcessingError, (sku, 1))).OrderId);

        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        var payment = (await Grains.GetGrain<IPaymentGrain>(order.OrderId).GetAsync())!;
        Assert.Equal((PaymentStatus.Captured, GatewayLedgerGrain.ProcessingErrorFailures + 1), (payment.Status, payment.Attempts));
        var captured = (await Grains.GetGrain<IOrderGrain>(order.OrderId).GetEventsAsync()).OfType<PaymentCaptured>().Single();
        Assert.Equal(3, captured.Attempts);
        Assert.Equal(99, (await Grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync()).Points);

        await Invariants.AssertAllHoldAsync(Shop);
    }

    private async Task<string> NewProductAsync(decimal price, int stock)
    {
        var sku = Shop.NewId("SKU");
        await Shop.AddProductAsync(sku, price, stock);
        return sku;
    }

    private async Task AssertStockAsync(string sku, int available)
    {
        var product = (await Grains.GetGrain<IProductGrain>(sku).GetAsync())!;
        Assert.Equal((available, 0), (product.Available, product.Reserved));
    }
}

public sealed class SagaPathsInMemoryTests(ClusterFixture fixture)
    : SagaPathTests<ClusterFixture>(fixture), IClassFixture<ClusterFixture>;

public sealed class SagaPathsOnEventHubsTests(EventHubs.EventHubClusterFixture fixture)
    : SagaPathTests<EventHubs.EventHubClusterFixture>(fixture), IClassFixture<EventHubs.EventHubClusterFixture>;

public sealed class SagaPathsOnLocalEventHubsTests(LocalEventHubs.LocalProfileClusterFixture fixture)
    : SagaPathTests<LocalEventHubs.LocalProfileClusterFixture>(fixture), IClassFixture<LocalEventHubs.LocalProfileClusterFixture>;
