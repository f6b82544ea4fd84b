namespace Marketplace.Silo.Hosting;

/// <summary>
/// The host's provider choices (section "Marketplace"). <see cref="Profile"/> sets the defaults;
/// each provider key overrides its profile's default on its own. Grains never see any of this.
/// </summary>
public sealed class MarketplaceOptions
{
    public const string Section = "Marketplace";

    /// <summary>Sets every provider's default: all in process, Azure's services run locally, or Azure's.</summary>
    public Profile Profile { get; set; } = Profile.Embedded;

    /// <summary>
    /// What this process is: a cluster member (<c>silo</c>: health endpoints only), the HTTP API,
    /// pages and dashboard reaching the silos as an Orleans client (<c>api</c>), or both in one
    /// process (<c>both</c>, as in the embedded and local profiles).
    /// </summary>
    public HostRole Role { get; set; } = HostRole.Both;

    public bool HostsSilo => Role != HostRole.Api;

    public bool ServesApi => Role != HostRole.Silo;

    public ClusteringProvider? Clustering { get; set; }

    public StorageProvider? Storage { get; set; }

    public StreamsProvider? Streams { get; set; }

    /// <summary>Puts a small demo catalog in place at start (products that do not exist yet).</summary>
    public bool SeedDemoData { get; set; }

    public MemoryStreamOptions MemoryStreams { get; set; } = new();

    public MemoryStorageOptions MemoryStorage { get; set; } = new();

    public ClusteringProvider EffectiveClustering => Clustering ?? (IsEmbedded ? ClusteringProvider.Localhost : ClusteringProvider.AzureTable);

    public StorageProvider EffectiveStorage => Storage ?? (IsEmbedded ? StorageProvider.Memory : StorageProvider.AzureTable);

    public StreamsProvider EffectiveStreams => Streams ?? (IsEmbedded ? StreamsProvider.Memory : StreamsProvider.EventHubs);

    private bool IsEmbedded => Profile == Profile.Embedded;

    public static MarketplaceOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<MarketplaceOptions>() ?? new MarketplaceOptions();
}

/// <summary>Orleans memory streams, the embedded profile's stand-in for Event Hubs.</summary>
public sealed class MemoryStreamOptions
{
    /// <summary>Queues, like Event Hubs partitions: the unit of parallel delivery.</summary>
    public int Partitions { get; set; } = 8;

    /// <summary>How often each queue is polled; every saga hop waits up to this long.</summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Queued containers of one stream merged into one delivery when a backlog waits: a shard
    /// consumer then takes many orders' events in one call and one state write.
    /// </summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>A stream idle this long is forgotten by its pulling agent (order streams are done in seconds).</summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Events every consumer has read stay cached this long. Orleans' default (5 min) holds every
    /// event of a busy minute in memory, which the collector then walks again and again; nothing
    /// here rewinds a stream, so a second is plenty.
    /// </summary>
    public TimeSpan CacheMinTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An event is evicted, read or not, once this much newer data is behind it: the cache holds
    /// this long of traffic, so under load it is memory (10 minutes at 1,700 orders/s held 1 GB). A
    /// minute outlasts what one order can hold a consumer back (the retry budget, 20 s, after which
    /// it is parked off the stream); a consumer further behind (its commits failing that long)
    /// misses events, reported by <see cref="Streaming.AbandonedDeliveries"/>, which the catch-up
    /// from journals and the order's delivery check then bring it, as after a lost silo.
    /// </summary>
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long Orleans keeps delivering a batch a consumer fails before it skips it (and reports
    /// it: <see cref="Streaming.AbandonedDeliveries"/>). A consumer fails a batch only when it cannot
    /// commit (its storage, or a grouped effect, out of reach), and waiting for that to come back
    /// always beats skipping, so by default Orleans never gives up (its own default is a minute).
    /// </summary>
    public TimeSpan MaxEventDeliveryTime { get; set; } = Timeout.InfiniteTimeSpan;
}

/// <summary>The embedded store's memory bound (section <c>Marketplace:MemoryStorage</c>).</summary>
public sealed class MemoryStorageOptions
{
    /// <summary>
    /// States kept as objects (the most recently written); older ones are serialized to a temporary
    /// file. Enough to hold every order in flight several times over: a state spilled and then
    /// written again costs one needless serialization.
    /// </summary>
    public int StatesInMemory { get; set; } = 10_000;
}

/// <summary>Configuration values name these case-insensitively (<c>embedded</c>, <c>local</c>, <c>azure</c>); another value stops the host at start, naming the key.</summary>
public enum Profile
{
    Embedded,
    Local,
    Azure,
}

public enum HostRole
{
    Both,
    Silo,
    Api,
}

public enum ClusteringProvider
{
    Localhost,
    AzureTable,
}

public enum StorageProvider
{
    Memory,
    AzureTable,
}

public enum StreamsProvider
{
    Memory,
    EventHubs,
}
