namespace Marketplace.Silo.Hosting;

/// <summary>
/// The host's provider choices (section "Marketplace"). <see cref="Profile"/> sets the defaults;
/// each provider key overrides its profile's default on its own. Grains never see any of this.
/// </summary>
public sealed class MarketplaceOptions
{
    public const string Section = "Marketplace";

    public const string Embedded = "embedded";
    public const string Local = "local";
    public const string Azure = "azure";

    public string Profile { get; set; } = Embedded;

    public const string SiloRole = "silo";
    public const string ApiRole = "api";
    public const string BothRoles = "both";

    /// <summary>
    /// What this process is: <c>silo</c> (a cluster member; health endpoints only), <c>api</c> (the
    /// HTTP API, pages and dashboard, reaching the silos as an Orleans client) or <c>both</c> (one
    /// process, as in the embedded and local profiles).
    /// </summary>
    public string Role { get; set; } = BothRoles;

    public bool HostsSilo => Role.ToLowerInvariant() switch
    {
        SiloRole or BothRoles => true,
        ApiRole => false,
        var other => throw new InvalidOperationException($"Marketplace:Role '{other}' is not one of silo, api, both."),
    };

    public bool ServesApi => !string.Equals(Role, SiloRole, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>localhost</c> or <c>azuretable</c>.</summary>
    public string? Clustering { get; set; }

    /// <summary><c>memory</c> or <c>azuretable</c>.</summary>
    public string? Storage { get; set; }

    /// <summary><c>memory</c> or <c>eventhubs</c>.</summary>
    public string? Streams { get; set; }

    /// <summary>Puts a small demo catalog in place at start (products that do not exist yet).</summary>
    public bool SeedDemoData { get; set; }

    public MemoryStreamOptions MemoryStreams { get; set; } = new();

    public MemoryStorageOptions MemoryStorage { get; set; } = new();

    public string EffectiveClustering => Clustering ?? (IsEmbedded ? "localhost" : "azuretable");

    public string EffectiveStorage => Storage ?? (IsEmbedded ? "memory" : "azuretable");

    public string EffectiveStreams => Streams ?? (IsEmbedded ? "memory" : "eventhubs");

    private bool IsEmbedded => string.Equals(Profile, Embedded, StringComparison.OrdinalIgnoreCase);

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
