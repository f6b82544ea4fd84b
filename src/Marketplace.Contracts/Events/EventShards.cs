using System.Globalization;

namespace Marketplace.Contracts.Events;

/// <summary>
/// Which shard an order's events travel on: a stable hash of the order id over a fixed count. The
/// count is configuration (<c>Marketplace:Events:Shards</c>), the same for every silo and client of a
/// service, and aligned with the stream queues (memory streams) or the hub's partitions (Event Hubs).
/// Changing it moves orders between shards: do it with the cluster drained.
/// </summary>
public sealed class EventShards
{
    public const int DefaultCount = 8;

    public EventShards(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
        keys = [.. Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture))];
    }

    private readonly string[] keys;

    public int Count { get; }

    public int ShardOf(string orderId) => (int)(StableStringHash.Of(orderId) % (uint)Count);

    /// <summary>The shard's key: the stream key, and the key of every consumer grain of that shard.</summary>
    public string KeyOf(string orderId) => keys[ShardOf(orderId)];

    public StreamId StreamOf(OrderEvent e) => StreamId.Create(e.StreamNamespace, KeyOf(e.OrderId));
}
