using Xunit.Abstractions;

namespace Marketplace.Tests.EventHubs;

/// <summary>Checkpoints in Azure Table storage: they advance, and a restarted cluster resumes from them.</summary>
public sealed class EventHubCheckpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Checkpoints_advance_and_a_restarted_cluster_resumes_from_them_instead_of_the_start()
    {
        var fixture = new EventHubClusterFixture();
        var settings = await fixture.SettingsAsync();
        var serviceId = Shop.NewId("svc");
        var hub = fixture.Hub;
        var sku = Shop.NewId("SKU");

        Shop first;
        Dictionary<string, long> saved;
        await using (var cluster = await ClusterFixture.StartClusterAsync(settings, serviceId, customize: b => EventHubClusterFixture.UseInProcessHub(b, hub)))
        {
            first = Shops.Of(cluster);
            await first.AddProductAsync(sku, 2m, 100);
            // Traffic for a few seconds: events older than the cache's max age are evicted, and
            // eviction is what moves a checkpoint while the cluster runs. Eviction needs newer
            // data behind an event, so traffic goes on (within stock) until every partition has
            // moved: order ids fall on partitions by hash, and a slow run can leave one behind.
            var placed = new List<string>();
            for (var i = 0; i < 24 || (i < 90 && !AllMoved(await Checkpoints.ReadAsync(fixture.CheckpointTable))); i++)
            {
                placed.Add((await first.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1))).OrderId);
                await Task.Delay(200);
            }

            foreach (var id in placed)
            {
                await first.SettledAsync(id);
            }

            var advanced = await Eventually.Get(async () =>
            {
                var offsets = await Checkpoints.ReadAsync(fixture.CheckpointTable);
                return offsets.Values.Any(o => o > 0) ? offsets : null;
            }, "a checkpoint to advance while running");
            output.WriteLine("while running: " + Describe(advanced, hub));
        }

        saved = await Checkpoints.ReadAsync(fixture.CheckpointTable);
        output.WriteLine("after shutdown: " + Describe(saved, hub));
        var openedBefore = hub.ReceiversOpened.Count;

        await using (var cluster = await ClusterFixture.StartClusterAsync(settings, serviceId, customize: b => EventHubClusterFixture.UseInProcessHub(b, hub)))
        {
            var second = Shops.Of(cluster).ContinuingFrom(first);
            var order = await second.SettledAsync((await second.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1))).OrderId);
            Assert.Equal(OrderStatus.Fulfilled, order.Status);

            // Every partition was reopened at its saved checkpoint, not at the start of the hub.
            var reopened = hub.ReceiversOpened.Skip(openedBefore).GroupBy(r => r.Partition).ToDictionary(g => g.Key, g => g.First().StartOffset);
            foreach (var (partition, offset) in saved)
            {
                Assert.Equal(offset, reopened[partition]);
                Assert.True(offset > 0, $"partition {partition} restarted from the beginning");
            }

            await Invariants.AssertAllHoldAsync(second);
        }
    }

    private static bool AllMoved(Dictionary<string, long> offsets) =>
        offsets.Count == EventHubClusterFixture.Partitions && offsets.Values.All(o => o > 0);

    private static string Describe(Dictionary<string, long> offsets, InProcessEventHub hub) =>
        string.Join(", ", offsets.OrderBy(o => o.Key).Select(o => $"partition {o.Key} at {o.Value} of {hub.Length(o.Key)}"));
}
