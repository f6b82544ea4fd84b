using Marketplace.Grains.Consumers;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// Streams deliver at least once: every event handed to every consumer a second time must change
/// nothing, on every view.
/// </summary>
public sealed class DuplicateDeliveryTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private Shop Shop => fixture.Shop;

    [Fact]
    public async Task Every_event_delivered_twice_to_every_consumer_changes_nothing()
    {
        var sku = Shop.NewId("SKU");
        var scarce = Shop.NewId("SKU");
        await Shop.AddProductAsync(sku, 15.25m, 20);
        await Shop.AddProductAsync(scarce, 40m, 0);
        var customer = Shop.NewId("cust");
        var orders = new[]
        {
            await Shop.PlaceAsync(customer, PaymentTokens.Visa, (sku, 2)),
            await Shop.PlaceAsync(customer, PaymentTokens.ChargeDeclined, (sku, 1)),
            await Shop.PlaceAsync(customer, PaymentTokens.ProcessingError, (sku, 1)),
            await Shop.PlaceAsync(customer, PaymentTokens.Visa, (scarce, 1)),
        };
        foreach (var order in orders)
        {
            await Shop.SettledAsync(order.OrderId);
        }

        var ids = orders.Select(o => o.OrderId).ToList();
        var before = await Views.SnapshotAsync(Shop, ids);
        var duplicatesBefore = await DuplicatesIgnoredAsync(orders);

        var redelivered = 0;
        var streams = fixture.Client.GetStreamProvider(EventStreams.Provider);
        var shards = fixture.SiloService<EventShards>();
        foreach (var order in orders)
        {
            foreach (var e in await Shop.Grains.GetGrain<IOrderGrain>(order.OrderId).GetEventsAsync())
            {
                await streams.GetStream<OrderEvent>(shards.StreamOf(e)).OnNextAsync(e);
                redelivered += fixture.SiloService<ConsumerCatalog>().HandlersOf(e.StreamNamespace).Count();
            }
        }

        // Every consumer has seen its copy of every event when the counters have moved by that much.
        await Eventually.Get<object>(
            async () => await DuplicatesIgnoredAsync(orders) - duplicatesBefore >= redelivered ? new object() : null,
            $"{redelivered} redeliveries to be recognised");

        Assert.Equal(redelivered, await DuplicatesIgnoredAsync(orders) - duplicatesBefore);
        Assert.Equal(before, await Views.SnapshotAsync(Shop, ids));
        await Invariants.AssertAllHoldAsync(Shop);
    }

    private async Task<int> DuplicatesIgnoredAsync(IEnumerable<OrderSnapshot> orders) =>
        (await Task.WhenAll(orders.Select(o => Shop.ProgressAsync(o.OrderId)))).SelectMany(p => p).Sum(p => p.Progress.DuplicatesIgnored);
}
