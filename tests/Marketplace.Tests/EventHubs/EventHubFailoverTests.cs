using Xunit.Abstractions;

namespace Marketplace.Tests.EventHubs;

/// <summary>
/// A silo dies while orders flow through Event Hubs on a three-silo cluster. Its partitions move
/// to the survivors, which read them again from the last checkpoint: events after it are
/// delivered a second time, the consumers recognise them, and every invariant still holds.
/// </summary>
public sealed class EventHubFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_killed_while_orders_flow_loses_nothing_and_doubles_nothing()
    {
        var fixture = new EventHubClusterFixture();
        var hub = fixture.Hub;
        var settings = await fixture.SettingsAsync();
        settings["Marketplace:Orders:RepublishAfter"] = "01:00:00"; // recovery must come from the hub, not the journal's safety net
        settings["Marketplace:EventHubs:CacheMaxAge"] = "00:10:00"; // the product's: no lagging consumer is evicted past
        await using var cluster = await ClusterFixture.StartClusterAsync(settings, silos: 3, customize: b => EventHubClusterFixture.UseInProcessHub(b, hub));
        var shop = Shops.Of(cluster);
        var skus = Enumerable.Range(1, 4).Select(i => Shop.NewId($"FO{i}")).ToArray();
        foreach (var sku in skus)
        {
            await shop.AddProductAsync(sku, 3.5m, 40);
        }

        var random = new Random(4);
        string[] tokens = [PaymentTokens.Visa, PaymentTokens.Visa, PaymentTokens.ChargeDeclined, PaymentTokens.ProcessingError];
        Dictionary<string, long>? lengthsAtKill = null;
        var receiversBeforeKill = 0;
        IReadOnlyList<string> victimPartitions = [];
        var ids = new List<string>();
        for (var i = 0; i < 90; i++)
        {
            if (i == 45)
            {
                lengthsAtKill = hub.PartitionIds.ToDictionary(p => p, hub.Length);
                receiversBeforeKill = hub.ReceiversOpened.Count;
                var victim = await hub.PartitionOwnerAsync(cluster);
                victimPartitions = hub.PartitionsReadBy(victim);
                await cluster.KillSiloAsync(victim);
            }

            var id = Guid.NewGuid().ToString();
            var items = skus.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Select(s => (s, random.Next(1, 4))).ToArray();
            await shop.PlaceWithRetryAsync(id, Shop.NewId("cust"), tokens[random.Next(tokens.Length)], items);
            ids.Add(id);
            await Task.Delay(30);
        }

        foreach (var id in ids)
        {
            await shop.SettledAsync(id, TimeSpan.FromMinutes(2));
        }

        // A killed in-process silo's agents may read on until it is declared dead: wait for the takeover itself.
        await Eventually.Get(
            () => Task.FromResult(victimPartitions.All(p => hub.ReceiversOpened.Skip(receiversBeforeKill).Any(r => r.Partition == p)) ? "taken over" : null),
            "the survivors to take over the dead silo's partitions", TimeSpan.FromMinutes(2));

        var openedAfterKill = hub.ReceiversOpened.Skip(receiversBeforeKill).ToList();
        await Invariants.AssertAllHoldAsync(shop);

        // The dead silo's partitions were read again from their checkpoints, behind where they had got to...
        var replayed = openedAfterKill.Where(r => r.StartOffset < lengthsAtKill![r.Partition]).ToList();
        output.WriteLine("receivers opened: " + string.Join(", ", openedAfterKill.Select(r => $"partition {r.Partition} at {r.StartOffset} (had {lengthsAtKill![r.Partition]})")));
        Assert.NotEmpty(replayed);

        // ...and the consumers recognised what they had handled before.
        var progress = (await Task.WhenAll(ids.Select(shop.ProgressAsync))).SelectMany(p => p).Select(p => p.Progress).ToList();
        output.WriteLine($"duplicates ignored after the kill: {progress.Sum(p => p.DuplicatesIgnored)}");
        Assert.True(progress.Sum(p => p.DuplicatesIgnored) > 0, "no replayed event reached a consumer");
    }
}
