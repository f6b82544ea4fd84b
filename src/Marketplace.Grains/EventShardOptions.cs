namespace Marketplace.Grains;

/// <summary>
/// How many shards the event streams have (section <c>Marketplace:Events</c>): the unit of batching
/// and of consumer parallelism. Keep it equal to the memory-stream queues or the hub's partitions.
/// </summary>
public sealed class EventShardOptions
{
    public const string Section = "Marketplace:Events";

    public int Shards { get; set; } = EventShards.DefaultCount;

    /// <summary>
    /// Publishes that meet on one stream go out as one batch: for providers that keep a batch as one
    /// queue message (memory streams). Event Hubs keeps one CloudEvent per message, so not there.
    /// </summary>
    public bool PublishInBatches { get; set; }

    /// <summary>
    /// Events of a kind no grain subscribes to are not published: for providers whose only readers
    /// are this cluster's implicit subscribers (memory streams). A hub keeps every event for readers
    /// outside the cluster, so not there.
    /// </summary>
    public bool SkipUnsubscribed { get; set; }
}
