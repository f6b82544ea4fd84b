namespace Marketplace.Grains.Reporting;

[GenerateSerializer, Alias("marketplace.sales-report-state.v1")]
public sealed class SalesReportState
{
    // The order ids make every record call count once (see notes on size in the README).
    [Id(0)] public HashSet<string> Placed { get; set; } = [];
    [Id(1)] public HashSet<string> Fulfilled { get; set; } = [];
    [Id(2)] public HashSet<string> Cancelled { get; set; } = [];
    [Id(3)] public Dictionary<string, SkuSales> BySku { get; set; } = [];
}

/// <summary>A shard of the sales report. Every order reports here twice: calls interleave and share writes.</summary>
[GrainType("sales-report")]
[Reentrant]
public sealed class SalesReportGrain(
    [PersistentState("sales-report", Storage.Name)] IPersistentState<SalesReportState> state) : Grain, ISalesReportGrain
{
    private readonly CoalescedWrites writes = new(() => state.WriteStateAsync());

    private SalesReportState Report => state.State;

    public Task RecordPlacedAsync(string orderId) => AddOnceAsync(Report.Placed, orderId);

    public Task RecordCancelledAsync(string orderId) => AddOnceAsync(Report.Cancelled, orderId);

    public async Task RecordFulfilledAsync(string orderId, ImmutableArray<OrderLine> items)
    {
        if (!Report.Fulfilled.Add(orderId))
        {
            await writes.StoredAsync();
            return;
        }

        foreach (var line in items)
        {
            var sales = Report.BySku.GetValueOrDefault(line.Sku) ?? new SkuSales(0, 0m);
            Report.BySku[line.Sku] = new SkuSales(sales.UnitsSold + line.Quantity, sales.Revenue + line.LineTotal);
        }

        await writes.WriteAsync();
    }

    public Task<SalesReport> GetAsync() => Task.FromResult(new SalesReport(
        Report.Placed.Count,
        Report.Fulfilled.Count,
        Report.Cancelled.Count,
        Report.BySku.Values.Sum(s => s.Revenue),
        Report.BySku.Values.Sum(s => s.UnitsSold),
        Report.BySku.ToImmutableSortedDictionary(StringComparer.Ordinal)));

    private Task AddOnceAsync(HashSet<string> orderIds, string orderId) =>
        orderIds.Add(orderId) ? writes.WriteAsync() : writes.StoredAsync();
}
