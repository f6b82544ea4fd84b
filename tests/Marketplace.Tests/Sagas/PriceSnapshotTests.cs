namespace Marketplace.Tests.Sagas;

/// <summary>Its own cluster: the admin correction below resets stock, which other tests' invariants would see.</summary>
public sealed class PriceSnapshotTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_price_change_after_checkout_does_not_alter_the_order()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 10m, 10);
        var placed = await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));

        await shop.Grains.GetGrain<IProductGrain>(sku).UpsertAsync("Renamed", 999m, 10);
        var order = await shop.SettledAsync(placed.OrderId);

        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        Assert.Equal((10m, 10m), (order.Items.Single().UnitPrice, order.Total));
        Assert.Equal(10m, (await shop.Grains.GetGrain<IPaymentGrain>(order.OrderId).GetAsync())!.Amount);
        Assert.Equal(999m, (await shop.Grains.GetGrain<IProductGrain>(sku).GetAsync())!.Price);
    }
}
