using Microsoft.Extensions.Options;

namespace Marketplace.Grains.Reporting;

[GenerateSerializer, Alias("marketplace.sales-report-state.v1")]
public sealed class SalesReportState
{
    // Stored before the counts: read into them, never written again.
    [Id(0)] public HashSet<string>? PlacedBeforeV2 { get => null; set => PlacedCount += value?.Count ?? 0; }
    [Id(1)] public HashSet<string>? FulfilledBeforeV2 { get => null; set => FulfilledCount += value?.Count ?? 0; }
    [Id(2)] public HashSet<string>? CancelledBeforeV2 { get => null; set => CancelledCount += value?.Count ?? 0; }

    // Id 3 held the per-sku totals as a mutable map for a day before any release; not to be reused.

    /// <summary>Immutable, so that copying the state (every in-process write) copies a reference, not every sku's totals.</summary>
    [Id(10)] public ImmutableDictionary<string, SkuSales> BySku { get; set; } = ImmutableDictionary<string, SkuSales>.Empty;

    [Id(4)] public long PlacedCount { get; set; }
    [Id(5)] public long FulfilledCount { get; set; }
    [Id(6)] public long CancelledCount { get; set; }

    /// <summary>Orders counted lately, per outcome: a record repeated within the window counts once.</summary>
    [Id(7)] public RecentIds Placed { get; set; } = RecentIds.Empty;
    [Id(8)] public RecentIds Fulfilled { get; set; } = RecentIds.Empty;
    [Id(9)] public RecentIds Cancelled { get; set; } = RecentIds.Empty;
}

[GrainType("sales-report")]
public sealed class SalesReportGrain(
    [PersistentState("sales-report", Storage.Name)] IPersistentState<SalesReportState> state,
    TimeProvider clock,
    IOptions<IdempotencyOptions> idempotency) : Grain, ISalesReportGrain
{
    private SalesReportState Report => state.State;

    public async Task RecordAsync(ImmutableArray<OrderEvent> outcomes)
    {
        var counted = false;
        foreach (var outcome in outcomes)
        {
            counted |= outcome switch
            {
                OrderPlaced => CountPlaced(outcome.OrderId),
                OrderFulfilled fulfilled => CountFulfilled(outcome.OrderId, fulfilled.Items),
                OrderCancelled => CountCancelled(outcome.OrderId),
                _ => false,
            };
        }

        if (counted)
        {
            await state.WriteStateAsync();
        }
    }

    public Task RecordPlacedAsync(string orderId) => WriteIf(CountPlaced(orderId));

    public Task RecordCancelledAsync(string orderId) => WriteIf(CountCancelled(orderId));

    public Task RecordFulfilledAsync(string orderId, ImmutableArray<OrderLine> items) => WriteIf(CountFulfilled(orderId, items));

    private bool CountPlaced(string orderId)
    {
        if (Report.Placed.Contains(orderId))
        {
            return false;
        }

        Report.Placed = Remember(Report.Placed, orderId);
        Report.PlacedCount++;
        return true;
    }

    private bool CountCancelled(string orderId)
    {
        if (Report.Cancelled.Contains(orderId))
        {
            return false;
        }

        Report.Cancelled = Remember(Report.Cancelled, orderId);
        Report.CancelledCount++;
        return true;
    }

    private bool CountFulfilled(string orderId, ImmutableArray<OrderLine> items)
    {
        if (Report.Fulfilled.Contains(orderId))
        {
            return false;
        }

        Report.Fulfilled = Remember(Report.Fulfilled, orderId);
        Report.FulfilledCount++;
        foreach (var line in items)
        {
            var sales = Report.BySku.GetValueOrDefault(line.Sku) ?? new SkuSales(0, 0m);
            Report.BySku = Report.BySku.SetItem(line.Sku, new SkuSales(sales.UnitsSold + line.Quantity, sales.Revenue + line.LineTotal));
        }

        return true;
    }

    private Task WriteIf(bool changed) => changed ? state.WriteStateAsync() : Task.CompletedTask;

    public Task<SalesReport> GetAsync() => Task.FromResult(new SalesReport(
        Report.PlacedCount,
        Report.FulfilledCount,
        Report.CancelledCount,
        Report.BySku.Values.Sum(s => s.Revenue),
        Report.BySku.Values.Sum(s => s.UnitsSold),
        Report.BySku.ToImmutableSortedDictionary(StringComparer.Ordinal)));

    private RecentIds Remember(RecentIds ids, string orderId) => ids.Add(orderId, clock.GetUtcNow(), idempotency.Value.Window);
}
