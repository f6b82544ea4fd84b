namespace Marketplace.Tests.TableStorage;

/// <summary>
/// For a moment after a silo is lost an order can have two activations (the directory entry went
/// with the silo, and a call activates the order again elsewhere). One that read the order's state
/// before the other placed it must not answer a consumer that the order does not exist: that
/// failure is permanent, so the consumer's event would go to the dead letters (seen in the soak run).
/// Two clusters on one storage account stand in for the two activations.
/// </summary>
public sealed class StaleOrderActivationTests
{
    [Fact]
    public async Task An_activation_that_read_before_the_order_was_placed_reads_again_before_refusing_an_outcome()
    {
        var settings = await new AzureTableClusterFixture().SettingsAsync();
        var serviceId = Shop.NewId("svc");
        await using var stale = await ClusterFixture.StartClusterAsync(settings, serviceId, silos: 1);
        await using var live = await ClusterFixture.StartClusterAsync(settings, serviceId, silos: 1);
        var shop = Shops.Of(live);
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 5m, 3);
        var orderId = Guid.NewGuid().ToString();
        var early = stale.Client.GetGrain<IOrderGrain>(orderId);
        Assert.Null(await early.GetAsync()); // activated, and read no order

        await shop.PlaceAsync(orderId, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));
        Assert.Equal(OrderStatus.Fulfilled, (await shop.SettledAsync(orderId)).Status);
        var captured = (await live.Client.GetGrain<IOrderGrain>(orderId).GetEventsAsync()).OfType<PaymentCaptured>().Single();

        // The payment consumer's report reaching the early activation: the outcome on record, as from the live one.
        var recorded = await early.AppendAsync(captured with { EventId = Guid.NewGuid() }, captured.CausationId!.Value);
        Assert.Equal(captured.EventId, recorded.EventId);
        Assert.Equal(OrderStatus.Fulfilled, (await early.GetAsync())!.Status);
    }
}
