namespace Marketplace.Tests.Concurrency;

/// <summary>Issue 2's race, on memory storage and on Azure Table storage (Azurite).</summary>
public abstract class ConcurrentCheckoutTests<TFixture>(TFixture fixture) where TFixture : ClusterFixture
{
    private static readonly string[] Tokens =
        [PaymentTokens.Visa, PaymentTokens.Visa, PaymentTokens.Visa, PaymentTokens.Mastercard, PaymentTokens.Mastercard,
         PaymentTokens.ChargeDeclined, PaymentTokens.ProcessingError];

    [Fact]
    public async Task Two_hundred_orders_racing_for_too_little_stock_all_end_and_every_invariant_holds()
    {
        var shop = fixture.Shop;
        var skus = Enumerable.Range(1, 5).Select(i => Shop.NewId($"HOT{i}")).ToArray();
        foreach (var (sku, i) in skus.Select((s, i) => (s, i)))
        {
            await shop.AddProductAsync(sku, 10m + i + 0.99m, stock: 40);
        }

        var random = new Random(20261126);
        var customers = Enumerable.Range(1, 20).Select(i => Shop.NewId($"c{i}")).ToArray();
        var requests = Enumerable.Range(0, 200).Select(_ => (
            Customer: customers[random.Next(customers.Length)],
            Token: Tokens[random.Next(Tokens.Length)],
            Items: skus.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(s => (s, random.Next(1, 4))).ToArray())).ToList();

        var placed = await Task.WhenAll(requests.Select(r => Task.Run(() => shop.PlaceAsync(r.Customer, r.Token, r.Items))));
        var settled = await Task.WhenAll(placed.Select(o => shop.SettledAsync(o.OrderId, TimeSpan.FromSeconds(180))));

        // The workload must have exercised contention, or the test proves little.
        Assert.Contains(settled, o => o.Status == OrderStatus.Fulfilled);
        Assert.Contains(settled, o => o.CancellationReason == "out-of-stock");
        Assert.Contains(settled, o => o.CancellationReason == "payment-declined");
        await Invariants.AssertAllHoldAsync(shop);
    }
}

public sealed class ConcurrentCheckoutInMemoryTests(ClusterFixture fixture)
    : ConcurrentCheckoutTests<ClusterFixture>(fixture), IClassFixture<ClusterFixture>;

public sealed class ConcurrentCheckoutOnTableStorageTests(AzureTableClusterFixture fixture)
    : ConcurrentCheckoutTests<AzureTableClusterFixture>(fixture), IClassFixture<AzureTableClusterFixture>;

public sealed class ConcurrentCheckoutOnEventHubsTests(EventHubs.EventHubClusterFixture fixture)
    : ConcurrentCheckoutTests<EventHubs.EventHubClusterFixture>(fixture), IClassFixture<EventHubs.EventHubClusterFixture>;

public sealed class ConcurrentCheckoutOnLocalEventHubsTests(LocalEventHubs.LocalProfileClusterFixture fixture)
    : ConcurrentCheckoutTests<LocalEventHubs.LocalProfileClusterFixture>(fixture), IClassFixture<LocalEventHubs.LocalProfileClusterFixture>;
