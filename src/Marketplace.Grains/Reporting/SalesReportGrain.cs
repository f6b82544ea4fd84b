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

[GrainType("sales-report")]
public sealed class SalesReportGrain(
    [PersistentState("sales-report", Storage.Name)] IPersistentState<SalesReportState> state) : Grain, ISalesReportGrain
{
    private SalesReportState Report => state.State;

    public Task RecordPlacedAsync(string orderId) => AddOnceAsync(Report.Placed, orderId);

    public Task RecordCancelledAsync(string orderId) => AddOnceAsync(Report.Cancelled, orderId);

    public async Task RecordFulfilledAsync(string orderId, ImmutableArray<OrderLine> items)
    {
        if (!Report.Fulfilled.Add(orderId))
        {
            return;
        }

        foreach (var line in items)
        {
            var sales = Report.BySku.GetValueOrDefault(line.Sku) ?? new SkuSales(0, 0m);
            Report.BySku[line.Sku] = new SkuSales(sales.UnitsSold + line.Quantity, sales.Revenue + line.LineTotal);
        }

        await state.WriteStateAsync();
    }

    public Task<SalesReport> GetAsync() => Task.FromResult(new SalesReport(
        Report.Placed.Count,
        Report.Fulfilled.Count,
        Report.Cancelled.Count,
        Report.BySku.Values.Sum(s => s.Revenue),
        Report.BySku.Values.Sum(s => s.UnitsSold),
        Report.BySku.ToImmutableSortedDictionary(StringComparer.Ordinal)));

    private async Task AddOnceAsync(HashSet<string> orderIds, string orderId)
    {
        if (orderIds.Add(orderId))
        {
            await state.WriteStateAsync();
        }
    }
}
