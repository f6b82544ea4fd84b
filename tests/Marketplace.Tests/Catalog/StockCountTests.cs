namespace Marketplace.Tests.Catalog;

/// <summary>
/// A PUT of an existing sku is a stock count (docs/API.md): the units on hand, those held by orders
/// in flight included. Held orders keep their units, and the count stays true as they settle.
/// </summary>
public sealed class StockCountTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_count_includes_held_units_and_stays_true_as_orders_settle()
    {
        var product = fixture.Client.GetGrain<IProductGrain>(Shop.NewId("SKU"));
        await product.UpsertAsync("Lamp", 20m, 5);
        Assert.True(await product.ReserveAsync("held-1", 2));

        Assert.Equal((8, 2), Stock(await product.UpsertAsync("Lamp", 20m, 10)));

        await product.ReleaseAsync("held-1"); // the held units were counted: back on the shelf, 10 in all
        Assert.Equal((10, 0), Stock((await product.GetAsync())!));
    }

    [Fact]
    public async Task A_count_below_what_is_held_shows_none_available_until_releases_make_up_the_shortfall()
    {
        var product = fixture.Client.GetGrain<IProductGrain>(Shop.NewId("SKU"));
        await product.UpsertAsync("Lamp", 20m, 5);
        Assert.True(await product.ReserveAsync("held-1", 2));
        Assert.True(await product.ReserveAsync("held-2", 2));

        Assert.Equal((0, 4), Stock(await product.UpsertAsync("Lamp", 20m, 1)));
        Assert.False(await product.ReserveAsync("new", 1));

        await product.ReleaseAsync("held-1"); // 3 short before, 1 short now
        Assert.Equal((0, 2), Stock((await product.GetAsync())!));
        await product.ReleaseAsync("held-2"); // the count was 1
        Assert.Equal((1, 0), Stock((await product.GetAsync())!));
    }

    private static (int Available, int Reserved) Stock(ProductSnapshot product) => (product.Available, product.Reserved);
}
