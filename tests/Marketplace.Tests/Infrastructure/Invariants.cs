using Marketplace.LoadTest.Invariants;

namespace Marketplace.Tests.Infrastructure;

/// <summary>The seven invariants of API.md, checked over everything a <see cref="Shop"/> did (the load test's checker).</summary>
public static class Invariants
{
    public static async Task AssertAllHoldAsync(Shop shop)
    {
        var report = await InvariantChecker.CheckAsync(new GrainView(shop.Grains), new ShopHistory(shop.PlacedOrderIds, shop.StockGiven));
        Assert.True(report.Holds, $"{report.Violations.Count} invariant(s) broken:\n{string.Join("\n", report.Violations.Take(20))}");
    }
}
