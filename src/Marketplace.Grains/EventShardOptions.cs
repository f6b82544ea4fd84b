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
    /// With <see cref="PublishInBatches"/>: how long a publish on an idle stream waits for others to
    /// join it. A consumer's batch reports its orders' outcomes within a millisecond or two, and they
    /// land on one stream; sent one by one they cost a queue call each.
    /// </summary>
    public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Events of a kind no grain subscribes to are not published: for providers whose only readers
    /// are this cluster's implicit subscribers (memory streams). A hub keeps every event for readers
    /// outside the cluster, so not there.
    /// </summary>
    public bool SkipUnsubscribed { get; set; }
}
