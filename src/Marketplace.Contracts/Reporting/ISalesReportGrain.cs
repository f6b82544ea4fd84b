using System.Collections.Immutable;
using Marketplace.Contracts.Events;
using Marketplace.Contracts.Orders;

namespace Marketplace.Contracts.Reporting;

[GenerateSerializer, Immutable, Alias("marketplace.sku-sales.v1")]
public sealed record SkuSales(
    [property: Id(0)] long UnitsSold,
    [property: Id(1)] decimal Revenue);

[GenerateSerializer, Immutable, Alias("marketplace.sales-report.v1")]
public sealed record SalesReport(
    [property: Id(0)] long OrdersPlaced,
    [property: Id(1)] long OrdersFulfilled,
    [property: Id(2)] long OrdersCancelled,
    [property: Id(3)] decimal Revenue,
    [property: Id(4)] long UnitsSold,
    [property: Id(5)] ImmutableSortedDictionary<string, SkuSales> BySku);

/// <summary>
/// One shard of the sales totals (key: <see cref="SalesReports.ShardOf"/> of the order id); each
/// order counts once per outcome. Sharded so that no single grain takes every order's writes, and
/// no single row holds every order id.
/// </summary>
public interface ISalesReportGrain : IGrainWithIntegerKey
{
    /// <summary>Counts each order's <c>OrderPlaced</c>, <c>OrderFulfilled</c> or <c>OrderCancelled</c> once: many orders, one write.</summary>
    Task RecordAsync(ImmutableArray<OrderEvent> outcomes);

    Task RecordPlacedAsync(string orderId);

    Task RecordFulfilledAsync(string orderId, ImmutableArray<OrderLine> items);

    Task RecordCancelledAsync(string orderId);

    [ReadOnly]
    Task<SalesReport> GetAsync();
}

public static class SalesReports
{
    public const int Shards = 64;

    /// <summary>A stable shard for an order, the same on every silo and every run.</summary>
    public static int ShardOf(string orderId) => (int)(Events.StableStringHash.Of(orderId) % Shards);

    public static ISalesReportGrain ForOrder(this IGrainFactory grains, string orderId) =>
        grains.GetGrain<ISalesReportGrain>(ShardOf(orderId));

    /// <summary>The whole report: the shards summed.</summary>
    public static async Task<SalesReport> GetSalesReportAsync(this IGrainFactory grains)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(i => grains.GetGrain<ISalesReportGrain>(i).GetAsync()));
        var bySku = shards.SelectMany(s => s.BySku)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => new SkuSales(g.Sum(p => p.Value.UnitsSold), g.Sum(p => p.Value.Revenue)), StringComparer.Ordinal);
        return new SalesReport(
            shards.Sum(s => s.OrdersPlaced), shards.Sum(s => s.OrdersFulfilled), shards.Sum(s => s.OrdersCancelled),
            shards.Sum(s => s.Revenue), shards.Sum(s => s.UnitsSold), bySku);
    }
}
