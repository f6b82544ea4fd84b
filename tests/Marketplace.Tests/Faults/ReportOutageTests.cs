using Orleans.TestingHost;

namespace Marketplace.Tests.Faults;

/// <summary>
/// The sales report's grains refuse the reporting consumer's grouped calls while <see cref="Out"/>
/// is set; reporting fails every attempt on <see cref="ParkedOrderId"/>, transiently, until <see cref="HealParkedOrder"/>.
/// </summary>
public sealed class ReportOutageFixture : ClusterFixture
{
    private int refused;
    private volatile bool isOut;

    public string ParkedOrderId { get; } = Guid.NewGuid().ToString();

    public bool Out { get => isOut; set => isOut = value; }

    public int Refused => Volatile.Read(ref refused);

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Faults:reporting:FailureRate"] = "1";
        settings["Marketplace:Faults:reporting:Orders:0"] = ParkedOrderId;
        return settings;
    }

    public void HealParkedOrder()
    {
        Configuration["Marketplace:Faults:reporting:FailureRate"] = "0";
        Configuration.Reload();
    }

    protected override void Customize(InProcessTestClusterBuilder builder) =>
        builder.ConfigureSilo((_, silo) => silo.AddIncomingGrainCallFilter(async call =>
        {
            if (Out && call.Grain is ISalesReportGrain && call.MethodName == nameof(ISalesReportGrain.RecordAsync))
            {
                Interlocked.Increment(ref refused);
                throw new TimeoutException("The report store is out of reach (test).");
            }

            await call.Invoke();
        }));
}

/// <summary>
/// The reporting consumer counts a batch's outcomes in one call at the end of the batch. When that
/// call fails, nothing of the batch may be committed as handled: the batch is handled again once
/// the report is back, and every order counts exactly once.
/// </summary>
public sealed class ReportOutageTests(ReportOutageFixture fixture) : IClassFixture<ReportOutageFixture>
{
    private const int Orders = 12;

    [Fact]
    public async Task Outcomes_a_failed_report_call_lost_are_counted_once_when_the_report_is_back()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 2.5m, Orders);
        var before = await shop.Grains.GetSalesReportAsync();
        var ids = Enumerable.Range(0, Orders).Select(_ => Guid.NewGuid().ToString()).ToList();
        var shardsBefore = new Dictionary<int, long>();
        foreach (var shard in ids.Select(SalesReports.ShardOf).Distinct())
        {
            shardsBefore[shard] = (await shop.Grains.GetGrain<ISalesReportGrain>(shard).GetAsync()).OrdersFulfilled;
        }

        fixture.Out = true;
        var orders = await Task.WhenAll(ids.Select(id => shop.PlaceAsync(id, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1))));
        foreach (var order in orders)
        {
            // The saga does not wait for its report.
            await Eventually.Get(async () => await shop.Grains.GetGrain<IOrderGrain>(order.OrderId).GetAsync() is { Status: OrderStatus.Fulfilled } done ? done : null, $"order {order.OrderId} to be fulfilled");
        }

        await Eventually.Get(() => Task.FromResult(fixture.Refused > 0 ? "refused" : null), "the report to refuse a grouped call");
        Assert.Equal(before.OrdersFulfilled, (await shop.Grains.GetSalesReportAsync()).OrdersFulfilled);

        fixture.Out = false;
        var after = await Eventually.Get(
            async () => await shop.Grains.GetSalesReportAsync() is var report && report.OrdersFulfilled - before.OrdersFulfilled >= Orders ? report : null,
            "every fulfilled order to be counted");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a second count, if any, would land by now
        after = await shop.Grains.GetSalesReportAsync();

        Assert.Equal((Orders, Orders), (after.OrdersPlaced - before.OrdersPlaced, after.OrdersFulfilled - before.OrdersFulfilled));
        Assert.Equal(new SkuSales(Orders, Orders * 2.5m), after.BySku[sku]);

        // Each order is counted in its own report shard, as every writer keeps it: shards stay small
        // (one shard per event shard would remember an eighth of all orders).
        foreach (var shard in orders.GroupBy(o => SalesReports.ShardOf(o.OrderId)))
        {
            Assert.Equal(shard.Count(), (await shop.Grains.GetGrain<ISalesReportGrain>(shard.Key).GetAsync()).OrdersFulfilled - shardsBefore[shard.Key]);
        }
    }

    [Fact]
    public async Task A_retry_rounds_failed_report_call_commits_nothing_and_the_order_counts_once_later()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 3m, 1);
        var report = shop.Grains.ForOrder(fixture.ParkedOrderId);
        var before = await report.GetAsync();

        // Reporting parks the order (its handler fails), so its events come back from the retry timer.
        fixture.Out = true;
        var refusedBefore = fixture.Refused;
        await shop.PlaceAsync(fixture.ParkedOrderId, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));
        await Eventually.Get(async () => await shop.Grains.GetGrain<IOrderGrain>(fixture.ParkedOrderId).GetAsync() is { Status: OrderStatus.Fulfilled } done ? done : null, "the order to be fulfilled");

        // The next retry handles the events; its grouped report call is the only one that can be refused now.
        fixture.HealParkedOrder();
        await Eventually.Get(() => Task.FromResult(fixture.Refused > refusedBefore ? "refused" : null), "a retry round's report call to be refused");
        Assert.Equal(before.OrdersPlaced, (await report.GetAsync()).OrdersPlaced);

        fixture.Out = false;
        await shop.SettledAsync(fixture.ParkedOrderId);
        var after = await report.GetAsync();
        Assert.Equal((1, 1), (after.OrdersPlaced - before.OrdersPlaced, after.OrdersFulfilled - before.OrdersFulfilled));
    }
}
