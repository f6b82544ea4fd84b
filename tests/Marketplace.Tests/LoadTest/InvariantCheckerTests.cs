using Marketplace.LoadTest.Invariants;

namespace Marketplace.Tests.LoadTest;

/// <summary>The checker the load test and the suite rely on finds what is broken, not only what holds.</summary>
public sealed class InvariantCheckerTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Holds_for_settled_orders_and_names_each_broken_invariant()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 10.50m, 5);
        var fulfilled = await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 2));
        var declined = await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.ChargeDeclined, (sku, 1));
        await shop.SettledAsync(fulfilled.OrderId);
        await shop.SettledAsync(declined.OrderId);
        var view = new GrainView(shop.Grains);
        var history = new ShopHistory([fulfilled.OrderId, declined.OrderId], new Dictionary<string, int> { [sku] = 5 });
        var before = await InvariantChecker.CheckAsync(view, history);
        Assert.True(before.Holds, string.Join("\n", before.Violations));
        Assert.Equal((1, 1, 0), (before.Fulfilled, before.Cancelled, before.StillPlaced));

        // Stock that appears from nowhere, and a notification nobody's order caused, break 4 and 7.
        await shop.Grains.GetGrain<IProductGrain>(sku).RestockAsync(1);
        await shop.Grains.GetGrain<IMailboxGrain>(fulfilled.CustomerId).SendAsync(fulfilled.OrderId, NotificationKinds.OrderCancelled, "wrong");
        var after = await InvariantChecker.CheckAsync(view, history);

        Assert.Equal(2, after.Violations.Count);
        Assert.StartsWith($"4. {sku}", after.Violations[0], StringComparison.Ordinal);
        Assert.StartsWith($"7. order {fulfilled.OrderId}", after.Violations[1], StringComparison.Ordinal);
    }
}
