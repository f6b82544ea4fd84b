using Azure;
using Azure.Data.Tables;
using Orleans.Storage;

namespace Marketplace.Tests.TableStorage;

/// <summary>
/// Another writer changes a grain's row underneath it (a duplicate activation during a silo
/// failure, an operator's fix). The grain's next write meets an ETag conflict: it must neither
/// overwrite the newer row nor keep its own half-applied change, and must recover by itself.
/// </summary>
public sealed class OptimisticConcurrencyTests(AzureTableClusterFixture fixture) : IClassFixture<AzureTableClusterFixture>
{
    private Shop Shop => fixture.Shop;

    [Fact]
    public async Task A_write_that_meets_a_newer_row_fails_keeps_nothing_of_its_change_and_the_next_call_succeeds()
    {
        var sku = Shop.NewId("SKU");
        var product = fixture.Client.GetGrain<IProductGrain>(sku);
        await product.UpsertAsync("Widget", 2m, 10);

        await TouchRowAsync(sku);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => product.ReserveAsync("order-1", 4));
        Assert.Equal((10, 0), await StockAsync(product)); // the failed attempt left no trace

        Assert.True(await product.ReserveAsync("order-1", 4));
        Assert.Equal((6, 4), await StockAsync(product));
    }

    [Fact]
    public async Task A_conflict_in_the_middle_of_the_saga_is_retried_and_the_order_still_completes()
    {
        var sku = Shop.NewId("SKU");
        await Shop.AddProductAsync(sku, 5m, 3);
        await TouchRowAsync(sku); // inventory's reservation will meet the conflict

        var order = await Shop.SettledAsync((await Shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 2))).OrderId);

        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        await Invariants.AssertAllHoldAsync(Shop);
    }

    /// <summary>Rewrites the product's row as it is: same state, new ETag, as a second writer would.</summary>
    private async Task TouchRowAsync(string sku)
    {
        var table = new TableServiceClient(await Azurite.ConnectionStringAsync()).GetTableClient(fixture.TableName);
        var rows = table.Query<TableEntity>().Where(e => e.PartitionKey.Contains(sku, StringComparison.Ordinal)).ToList();
        var row = Assert.Single(rows);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    private static async Task<(int Available, int Reserved)> StockAsync(IProductGrain product)
    {
        var p = (await product.GetAsync())!;
        return (p.Available, p.Reserved);
    }
}
