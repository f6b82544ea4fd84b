using Marketplace.Grains.Orders;

namespace Marketplace.Tests.Orders;

/// <summary>
/// An order that concluded with every event delivered (no silo came or went) records that, so a
/// later activation, for a customer reading it, schedules no delivery check: six calls to the
/// consumers for nothing.
/// </summary>
public sealed class DeliveredOrderTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_concluded_order_is_stored_as_delivered_and_reads_after_it_left_memory_see_the_same_order()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 5m, 2);
        var order = await shop.SettledAsync((await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1))).OrderId);
        var grainId = shop.Grains.GetGrain<IOrderGrain>(order.OrderId).GetGrainId();

        // The mark is saved with the publish cursor when the order leaves memory, which it does once concluded.
        var stored = await Eventually.Get(async () => await fixture.StoredStateAsync<OrderState>("order", grainId) is { Delivered: true } s ? s : null, "the order stored as delivered");

        Assert.Equal(stored.PublishedSequence, stored.Events.Count);
        Assert.Equal(OrderStatus.Fulfilled, (await shop.Grains.GetGrain<IOrderGrain>(order.OrderId).GetAsync())!.Status);
    }
}
