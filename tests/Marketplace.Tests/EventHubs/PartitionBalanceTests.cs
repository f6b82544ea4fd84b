using Orleans.TestingHost;

namespace Marketplace.Tests.EventHubs;

/// <summary>
/// The hub's partitions spread evenly over the silos (leases on Azurite's Blob service), and a dead
/// silo's partitions go to the survivors. Asked the way an operator asks: each silo's own report.
/// </summary>
public sealed class PartitionBalanceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Partitions = 8;

    [Fact]
    public async Task Eight_partitions_over_three_silos_are_read_three_three_two_and_two_survivors_read_all_eight()
    {
        var fixture = new EventHubClusterFixture();
        var hub = new InProcessEventHub(Partitions);
        var settings = await fixture.SettingsAsync();
        await using var cluster = await ClusterFixture.StartClusterAsync(settings, silos: 3, customize: b => EventHubClusterFixture.UseInProcessHub(b, hub));

        var balanced = await Eventually.Get(async () => await ReadersAsync(cluster) is { Count: 3 } readers
            && EachReadOnce(readers) && readers.Values.All(p => p.Length is 2 or 3) ? readers : null,
            "every partition read by exactly one of the three silos, none with more than three", TimeSpan.FromMinutes(1));
        Assert.Equal([2, 3, 3], balanced.Values.Select(p => p.Length).Order());

        var victim = cluster.Silos[^1];
        await cluster.KillSiloAsync(victim);

        var survivors = await Eventually.Get(async () => await ReadersAsync(cluster) is { Count: 2 } readers
            && EachReadOnce(readers) && readers.Values.All(p => p.Length == 4) ? readers : null,
            "the dead silo's partitions taken by the two survivors, four each", TimeSpan.FromMinutes(2));
        Assert.DoesNotContain(victim.SiloAddress.ToParsableString(), survivors.Keys);
    }

    private static bool EachReadOnce(Dictionary<string, string[]> readers) =>
        readers.Values.SelectMany(p => p).Order(StringComparer.Ordinal)
            .SequenceEqual(Enumerable.Range(0, Partitions).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));

    private async Task<Dictionary<string, string[]>> ReadersAsync(InProcessTestCluster cluster)
    {
        var readers = await ClusterFixture.PartitionReadersAsync(cluster);
        output.WriteLine(string.Join(" | ", readers.Select(r => $"{r.Key}: {string.Join(",", r.Value)}")));
        return readers;
    }
}
