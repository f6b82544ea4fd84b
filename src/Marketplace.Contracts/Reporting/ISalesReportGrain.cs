using System.Collections.Immutable;
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

/// <summary>Sales totals (one instance, key 0); each order counts once per outcome.</summary>
public interface ISalesReportGrain : IGrainWithIntegerKey
{
    Task RecordPlacedAsync(string orderId);

    Task RecordFulfilledAsync(string orderId, ImmutableArray<OrderLine> items);

    Task RecordCancelledAsync(string orderId);

    [ReadOnly]
    Task<SalesReport> GetAsync();
}
