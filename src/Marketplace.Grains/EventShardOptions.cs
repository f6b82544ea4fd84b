namespace Marketplace.Grains;

/// <summary>
/// How many shards the event streams have (section <c>Marketplace:Events</c>): the unit of batching
/// and of consumer parallelism. Keep it equal to the memory-stream queues or the hub's partitions.
/// </summary>
public sealed class EventShardOptions
{
    public const string Section = "Marketplace:Events";

    public int Shards { get; set; } = EventShards.DefaultCount;
}
