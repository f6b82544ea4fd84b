using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Azure.Messaging.EventHubs;
using Orleans.Streaming.EventHubs;

namespace Marketplace.Tests.EventHubs;

/// <summary>
/// An Event Hub in the test process: partitions as append-only logs with offsets and sequence
/// numbers, partition chosen by hashing the partition key, as the service does. It stands in
/// only for the network service: the Orleans adapter, its cache, our data adapter and the
/// checkpointer all run for real on top of it. One instance is shared by every silo of a test
/// cluster, and it outlives a cluster, so a restarted cluster reads the same hub.
/// </summary>
public sealed class InProcessEventHub(int partitionCount)
{
    private readonly List<EventData>[] partitions = [.. Enumerable.Range(0, partitionCount).Select(_ => new List<EventData>())];

    public string[] PartitionIds { get; } = [.. Enumerable.Range(0, partitionCount).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>Every receiver the silos opened: partition, the offset it started at (inclusive), and the silo.</summary>
    public ConcurrentQueue<(string Partition, long StartOffset, string Silo)> ReceiversOpened { get; } = new();

    public void Send(string partitionKey, EventData data)
    {
        var partition = partitions[PartitionOf(partitionKey)];
        lock (partition)
        {
            var sequence = partition.Count;
            var stored = EventHubsModelFactory.EventData(
                data.EventBody, data.Properties, systemProperties: null, partitionKey, sequence,
                sequence.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
            stored.ContentType = data.ContentType;
            partition.Add(stored);
        }
    }

    public long Length(string partitionId)
    {
        var partition = partitions[int.Parse(partitionId, CultureInfo.InvariantCulture)];
        lock (partition)
        {
            return partition.Count;
        }
    }

    public IReadOnlyList<EventData> Events(string partitionId)
    {
        var partition = partitions[int.Parse(partitionId, CultureInfo.InvariantCulture)];
        lock (partition)
        {
            return [.. partition];
        }
    }

    /// <summary>
    /// A silo other than the primary that reads at least one partition now (the one to kill). Under
    /// load the balancer may not have handed any partition to another silo yet: it waits for that.
    /// </summary>
    public Task<Orleans.TestingHost.InProcessSiloHandle> PartitionOwnerAsync(Orleans.TestingHost.InProcessTestCluster cluster) =>
        Eventually.Get(() => Task.FromResult(NonPrimaryOwner(cluster)), "a silo other than the primary to read a partition");

    /// <summary>
    /// As <see cref="PartitionOwnerAsync"/>, or the last silo when none other than the primary reads a
    /// partition within <paramref name="patience"/>: the balancer's hash ring can leave every partition
    /// on the primary, and a silo loss is still a silo loss.
    /// </summary>
    public async Task<Orleans.TestingHost.InProcessSiloHandle> PartitionOwnerOrLastAsync(Orleans.TestingHost.InProcessTestCluster cluster, TimeSpan patience)
    {
        try
        {
            return await Eventually.Get(() => Task.FromResult(NonPrimaryOwner(cluster)), "a silo other than the primary to read a partition", patience);
        }
        catch (TimeoutException)
        {
            return cluster.Silos[^1];
        }
    }

    /// <summary>The partitions a silo reads now: it opened the latest receiver of each.</summary>
    public IReadOnlyList<string> PartitionsReadBy(Orleans.TestingHost.InProcessSiloHandle silo) =>
        [.. Readers().Where(r => r.Silo == silo.SiloAddress.ToString()).Select(r => r.Partition)];

    private Orleans.TestingHost.InProcessSiloHandle? NonPrimaryOwner(Orleans.TestingHost.InProcessTestCluster cluster) =>
        cluster.Silos.Skip(1).FirstOrDefault(s => PartitionsReadBy(s).Count > 0);

    private IEnumerable<(string Partition, string Silo)> Readers() =>
        ReceiversOpened.GroupBy(r => r.Partition).Select(g => (g.Key, g.Last().Silo));

    public IEventHubReceiver OpenReceiver(string partitionId, string offset, bool startFromNow, string silo)
    {
        // Orleans passes the checkpointed offset, read inclusively, or "-1" when there is none.
        var start = offset == "-1" ? (startFromNow ? Length(partitionId) : 0) : long.Parse(offset, CultureInfo.InvariantCulture);
        ReceiversOpened.Enqueue((partitionId, start, silo));
        return new Receiver(this, partitionId, start);
    }

    /// <summary>A stable hash (FNV-1a) of the key, so one order's events always share a partition.</summary>
    private int PartitionOf(string partitionKey)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(partitionKey))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitions.Length);
    }

    private List<EventData> Read(string partitionId, long from, int max)
    {
        var partition = partitions[int.Parse(partitionId, CultureInfo.InvariantCulture)];
        lock (partition)
        {
            return from >= partition.Count ? [] : partition.GetRange((int)from, (int)Math.Min(max, partition.Count - from));
        }
    }

    private sealed class Receiver(InProcessEventHub hub, string partitionId, long next) : IEventHubReceiver
    {
        public Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime)
        {
            var batch = hub.Read(partitionId, next, maxCount);
            next += batch.Count;
            return Task.FromResult<IEnumerable<EventData>>(batch);
        }

        public Task CloseAsync() => Task.CompletedTask;
    }
}
