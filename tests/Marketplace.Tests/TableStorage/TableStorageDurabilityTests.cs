using Azure.Data.Tables;

namespace Marketplace.Tests.TableStorage;

/// <summary>Every kind of grain state written to Azure Table storage (Azurite) and read back by a new cluster.</summary>
public sealed class TableStorageDurabilityTests
{
    [Fact]
    public async Task Every_grain_kind_reads_back_equal_after_the_whole_cluster_restarts()
    {
        var fixture = new AzureTableClusterFixture();
        var settings = await fixture.SettingsAsync();
        var serviceId = Shop.NewId("svc");

        string before;
        Shop first;
        var sku = Shop.NewId("SKU");
        await using (var cluster = await ClusterFixture.StartClusterAsync(settings, serviceId))
        {
            first = Shops.Of(cluster);
            var scarce = Shop.NewId("SKU");
            await first.AddProductAsync(sku, 7.25m, 10);
            await first.AddProductAsync(scarce, 3m, 0);
            var customer = Shop.NewId("cust");
            foreach (var (token, product) in new[] { (PaymentTokens.Visa, sku), (PaymentTokens.ChargeDeclined, sku), (PaymentTokens.ProcessingError, sku), (PaymentTokens.Visa, scarce) })
            {
                await first.SettledAsync((await first.PlaceAsync(customer, token, (product, 2))).OrderId);
            }

            before = await Views.SnapshotAsync(first, first.PlacedOrderIds);
        }

        await using (var cluster = await ClusterFixture.StartClusterAsync(settings, serviceId))
        {
            var second = Shops.Of(cluster).ContinuingFrom(first);
            Assert.Equal(before, await Views.SnapshotAsync(second, second.PlacedOrderIds));

            // And the restarted cluster carries on from that state.
            var order = await second.SettledAsync((await second.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1))).OrderId);
            Assert.Equal(OrderStatus.Fulfilled, order.Status);
            await Invariants.AssertAllHoldAsync(second);
        }
    }

    [Fact]
    public async Task An_order_larger_than_one_table_property_round_trips()
    {
        var fixture = new AzureTableClusterFixture();
        await using var cluster = await ClusterFixture.StartClusterAsync(await fixture.SettingsAsync());
        var shop = Shops.Of(cluster);

        // 64-character skus, the longest allowed: the order's journal far exceeds one 64 KiB property.
        const int Lines = 1000;
        var skus = Enumerable.Range(0, Lines).Select(i => $"{Shop.NewId("L")}-{i:D4}".PadRight(64, 'X')).ToArray();
        foreach (var batch in skus.Chunk(50)) // every new sku joins the one catalog list: a queue of 1,000 at once outlasts a call's 30 s
        {
            await Task.WhenAll(batch.Select(sku => shop.AddProductAsync(sku, 1.01m, 5)));
        }

        var placed = await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, [.. skus.Select(s => (s, 2))]);
        var order = await shop.SettledAsync(placed.OrderId, TimeSpan.FromMinutes(2));
        Assert.Equal((OrderStatus.Fulfilled, Lines * 2 * 1.01m), (order.Status, order.Total));

        var table = new TableServiceClient(await Azurite.ConnectionStringAsync()).GetTableClient(fixture.TableName);
        var entity = table.Query<TableEntity>().Single(e => e.PartitionKey.Contains(placed.OrderId, StringComparison.Ordinal) && e.RowKey.Contains("order", StringComparison.Ordinal) && !e.RowKey.Contains("customer", StringComparison.Ordinal));
        var dataProperties = entity.Keys.Count(k => k.StartsWith("Data", StringComparison.Ordinal));
        Assert.True(dataProperties > 1, $"expected the state split over several properties; entity has: {string.Join(", ", entity.Keys)}");

        var journal = cluster.Client.GetGrain<IOrderGrain>(placed.OrderId);
        var before = await Views.SnapshotAsync(shop, [placed.OrderId]);
        await cluster.DeactivateAsync(journal);
        Assert.Equal(before, await Views.SnapshotAsync(shop, [placed.OrderId]));
        Assert.Equal(Lines, (await journal.GetAsync())!.Items.Length);
    }
}
