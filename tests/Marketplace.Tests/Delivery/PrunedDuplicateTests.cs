using System.Diagnostics.Metrics;
using Marketplace.Grains;
using Marketplace.Grains.Consumers;
using Marketplace.LoadTest.Running;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Tests.Delivery;

/// <summary>Consumers forget a concluded order one second (of stream time) after its conclusion.</summary>
public sealed class ShortRetentionFixture : ClusterFixture
{
    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Consumers:Retention"] = "00:00:01";
        return settings;
    }
}

/// <summary>
/// Records are pruned once an order has concluded and its shard's streams have moved on; a
/// duplicate that arrives after that (an Event Hubs replay from an old checkpoint, a republished
/// outbox) must still change nothing.
/// </summary>
public sealed class PrunedDuplicateTests(ShortRetentionFixture fixture) : IClassFixture<ShortRetentionFixture>
{
    private Shop Shop => fixture.Shop;

    [Fact]
    public async Task Every_event_of_a_forgotten_order_delivered_again_changes_nothing()
    {
        var shards = fixture.SiloService<EventShards>();
        var sku = Shop.NewId("SKU");
        await Shop.AddProductAsync(sku, 9.5m, 100);
        var customer = Shop.NewId("cust");
        var order = await Shop.SettledAsync((await Shop.PlaceAsync(customer, PaymentTokens.Visa, (sku, 2))).OrderId);

        // Later orders of the same shard move its streams past the window: every consumer forgets the first.
        var sameShard = Enumerable.Range(0, 2000).Select(_ => Guid.NewGuid().ToString()).Where(id => shards.ShardOf(id) == shards.ShardOf(order.OrderId));
        await Eventually.Get(async () =>
        {
            var later = sameShard.First();
            await Shop.SettledAsync((await Shop.PlaceAsync(later, customer, PaymentTokens.Visa, (sku, 1))).OrderId);
            var progress = await Shop.ProgressAsync(order.OrderId);
            return progress.All(p => p.Progress.Handled.IsEmpty) ? progress : null;
        }, "the consumers to prune the order's records");
        var timeline = (await Shop.TimelineAsync(order.OrderId))!.Value;
        Assert.All(timeline, e => Assert.Empty(e.Pending)); // forgotten, and known to be handled in full
        Assert.Contains("loyalty", timeline.Single(e => e.Type == "OrderFulfilled").HandledBy);
        var before = await Views.SnapshotAsync(Shop, Shop.PlacedOrderIds);

        // Every consumer grain type receives the order's first and last events, and those it subscribes to.
        var events = await Shop.Grains.GetGrain<IOrderGrain>(order.OrderId).GetEventsAsync();
        string[] everyone = [EventStreams.OrderPlaced, EventStreams.OrderFulfilled, EventStreams.OrderCancelled];
        var deliveries = events.Sum(e => fixture.SiloService<ConsumerCatalog>().All.Count(c => c.Handles(e.StreamNamespace) || everyone.Contains(e.StreamNamespace)));
        var recognised = 0;
        var listeners = fixture.Cluster.Silos.Select(silo => MarketplaceInstruments.Listen(
            fixture.Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<IMeterFactory>(),
            (_, value, _) => Interlocked.Add(ref recognised, (int)value),
            MarketplaceMetrics.Duplicates)).ToList();
        try
        {
            var streams = fixture.Client.GetStreamProvider(EventStreams.Provider);
            foreach (var e in events)
            {
                await streams.GetStream<OrderEvent>(shards.StreamOf(e)).OnNextAsync(e);
            }

            await Eventually.Get(() => Task.FromResult(Volatile.Read(ref recognised) >= deliveries ? "all" : null), $"{deliveries} deliveries to be recognised as duplicates");
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }

        Assert.Equal(deliveries, recognised);
        Assert.Equal(before, await Views.SnapshotAsync(Shop, Shop.PlacedOrderIds));
        Assert.All(await Shop.ProgressAsync(order.OrderId), p => Assert.Empty(p.Progress.Handled)); // not taken for a new order
        await Invariants.AssertAllHoldAsync(Shop);
    }
}
