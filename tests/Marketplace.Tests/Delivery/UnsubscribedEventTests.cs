using Marketplace.Grains.Consumers;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// On memory streams the only readers are the cluster's implicit subscribers, so an event of a kind
/// nobody subscribes to is not published at all; it stays in the journal and the timeline.
/// </summary>
public sealed class UnsubscribedEventTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Kinds_nobody_subscribes_to_are_known_and_still_recorded_in_the_journal()
    {
        var catalog = fixture.SiloService<ConsumerCatalog>();
        Assert.True(catalog.IsSubscribed(EventStreams.OrderPlaced));
        Assert.True(catalog.IsSubscribed(EventStreams.PaymentCaptured)); // shipping
        Assert.True(catalog.IsSubscribed(EventStreams.OrderCancelled)); // every consumer's bookkeeping
        Assert.False(catalog.IsSubscribed(EventStreams.StockCommitted));
        Assert.False(catalog.IsSubscribed("no-such-kind"));

        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 4m, 3);
        var order = await shop.SettledAsync((await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1))).OrderId);

        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        var committed = (await shop.TimelineAsync(order.OrderId))!.Value.Single(e => e.Type == "StockCommitted");
        Assert.Empty(committed.HandledBy);
        Assert.Empty(committed.Pending);
    }
}
