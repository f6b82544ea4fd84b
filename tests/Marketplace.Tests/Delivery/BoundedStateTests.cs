using Marketplace.Grains.Catalog;
using Marketplace.Grains.Email;
using Marketplace.Grains.Loyalty;
using Marketplace.Grains.Orders;
using Marketplace.Grains.Paging;
using Marketplace.Grains.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Marketplace.Tests.Delivery;

/// <summary>Grains whose clock the test moves (see <see cref="ManualClock"/>).</summary>
public sealed class ManualClockFixture : ClusterFixture
{
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected override void Customize(InProcessTestClusterBuilder builder) =>
        builder.ConfigureHost(host => host.Services.AddSingleton<TimeProvider>(Clock));
}

/// <summary>
/// No grain's state grows with the number of orders ever placed: a hundred thousand orders' worth
/// of calls through one product, one customer's loyalty and one report shard leave each stored
/// state as small as a fraction of them did, well under Table storage's limits.
/// </summary>
public sealed class BoundedStateTests(ManualClockFixture fixture) : IClassFixture<ManualClockFixture>
{
    private const int Orders = 100_000;
    private const int OrdersPerSecond = 40; // of the test's clock
    private const int MaxStoredBytes = 64 * 1024;

    [Fact]
    public async Task A_hundred_thousand_orders_through_one_product_one_customer_and_one_report_shard_leave_their_states_bounded()
    {
        var grains = fixture.Shop.Grains;
        var sku = Shop.NewId("SKU");
        var customer = Shop.NewId("cust");
        await fixture.Shop.AddProductAsync(sku, 1m, Orders);
        var product = grains.GetGrain<IProductGrain>(sku);
        var loyalty = grains.GetGrain<ICustomerLoyaltyGrain>(customer);
        var report = grains.GetGrain<ISalesReportGrain>(0);
        var sizes = new Dictionary<string, List<int>> { ["product"] = [], ["loyalty"] = [], ["report"] = [] };

        foreach (var chunk in Enumerable.Range(0, Orders).Chunk(OrdersPerSecond))
        {
            await Task.WhenAll(chunk.Select(async i =>
            {
                var orderId = $"order-{i}";
                Assert.True(await product.ReserveAsync(orderId, 1));
                await product.CommitAsync(orderId);
                await loyalty.AwardAsync(orderId, 2m);
                await report.RecordPlacedAsync(orderId);
                await report.RecordFulfilledAsync(orderId, [new OrderLine(sku, 1, 1m)]);
            }));
            fixture.Clock.Advance(TimeSpan.FromSeconds(1));
            if ((chunk[0] + OrdersPerSecond) % (Orders / 4) == 0)
            {
                sizes["product"].Add(await StoredBytesAsync<ProductState>("product", product.GetGrainId()));
                sizes["loyalty"].Add(await StoredBytesAsync<LoyaltyState>("loyalty", loyalty.GetGrainId()));
                sizes["report"].Add(await StoredBytesAsync<SalesReportState>("sales-report", report.GetGrainId()));
            }
        }

        // Every call counted once, and the states did not grow from the first quarter to the last.
        Assert.Equal((0, 0), ((await product.GetAsync())!.Available, (await product.GetAsync())!.Reserved));
        Assert.Equal(2L * Orders, (await loyalty.GetAsync()).Points);
        foreach (var (grain, measured) in sizes)
        {
            Assert.Equal(4, measured.Count);
            Assert.All(measured, bytes => Assert.InRange(bytes, 1, MaxStoredBytes));
            Assert.True(measured[^1] <= measured[0] * 1.1, $"{grain}: {string.Join(" → ", measured)} bytes as the orders went by");
        }

        // A call repeated within the window still changes nothing.
        await loyalty.AwardAsync($"order-{Orders - 1}", 2m);
        Assert.True(await product.ReserveAsync($"order-{Orders - 1}", 1));
        Assert.Equal(2L * Orders, (await loyalty.GetAsync()).Points);
        Assert.Equal(0, (await product.GetAsync())!.Reserved);
    }

    [Fact]
    public async Task A_customers_mailbox_keeps_one_page_stored_and_still_shows_and_dedupes_every_notification()
    {
        const int Sends = 50 * MailboxGrain.PageSize + 7; // over two minutes of the test's clock: the window fills, then slides
        var mailbox = fixture.Shop.Grains.GetGrain<IMailboxGrain>(Shop.NewId("cust"));
        var sizes = new List<int>();
        for (var i = 0; i < Sends; i++)
        {
            await mailbox.SendAsync($"order-{i}", NotificationKinds.OrderReceived, $"order {i}");
            if (i % OrdersPerSecond == OrdersPerSecond - 1)
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
            }

            if (i % MailboxGrain.PageSize == MailboxGrain.PageSize - 1)
            {
                sizes.Add(await StoredBytesAsync<PagedListState<Notification>>("mailbox", mailbox.GetGrainId()));
            }
        }

        // A repeat within the window whose first sending is in a page already changes nothing.
        var paged = Sends - MailboxGrain.PageSize - 10;
        var repeated = await mailbox.SendAsync($"order-{paged}", NotificationKinds.OrderReceived, "again");

        var all = await mailbox.GetAsync();
        Assert.Equal(Enumerable.Range(0, Sends).Select(i => $"order-{i}"), all.Select(n => n.OrderId));
        Assert.Equal($"order {paged}", repeated.Subject);
        Assert.All(sizes, bytes => Assert.InRange(bytes, 1, MaxStoredBytes));
        Assert.True(sizes[^1] <= sizes[sizes.Count / 2] * 1.1, $"mailbox: {string.Join(" → ", sizes)} bytes as the notifications went by");
    }

    [Fact]
    public async Task A_customers_order_list_keeps_one_page_stored_and_still_lists_every_order_once()
    {
        const int Added = 10 * CustomerOrdersGrain.PageSize + 7; // over two minutes of the test's clock: the window fills, then slides
        var list = fixture.Shop.Grains.GetGrain<ICustomerOrdersGrain>(Shop.NewId("cust"));
        static string IdOf(int i) => $"{Guid.Empty.ToString()[..^6]}{i:D6}"; // as long as the API's ids
        var sizes = new List<int>();
        for (var i = 0; i < Added; i++)
        {
            await list.AddAsync(IdOf(i));
            if (i % OrdersPerSecond == OrdersPerSecond - 1)
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
            }

            if (i % CustomerOrdersGrain.PageSize == CustomerOrdersGrain.PageSize - 1)
            {
                sizes.Add(await StoredBytesAsync<PagedListState<string>>("customer-orders", list.GetGrainId()));
            }
        }

        // A repeat within the window whose first adding is in a page already adds nothing; so does a
        // repeat of the latest page.
        await list.AddAsync(IdOf(Added - CustomerOrdersGrain.PageSize - 3));
        await list.AddAsync(IdOf(Added - 1));

        Assert.Equal(Enumerable.Range(0, Added).Select(IdOf), await list.GetOrderIdsAsync());
        Assert.Equal(Added % CustomerOrdersGrain.PageSize, (await fixture.StoredStateAsync<PagedListState<string>>("customer-orders", list.GetGrainId())).Latest.Count);
        Assert.All(sizes, bytes => Assert.InRange(bytes, 1, MaxStoredBytes));
        Assert.True(sizes[^1] <= sizes[sizes.Count / 2] * 1.1, $"order list: {string.Join(" → ", sizes)} bytes as the orders went by");
    }

    /// <summary>The state as grain storage holds it, in the bytes Table storage would store (the Orleans serializer).</summary>
    private async Task<int> StoredBytesAsync<T>(string stateName, GrainId grainId) where T : new() =>
        fixture.SiloService<Serializer>().SerializeToArray(await fixture.StoredStateAsync<T>(stateName, grainId)).Length;
}
