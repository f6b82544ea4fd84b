using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Marketplace.Silo.Streaming;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Marketplace.Silo.Hosting;

/// <summary>The Event Hub the events travel on (section <c>Marketplace:EventHubs</c>).</summary>
public sealed class EventHubSettings
{
    public const string Section = "Marketplace:EventHubs";

    public string Hub { get; set; } = "marketplace-events";

    /// <summary>The silos' own consumer group; <c>$Default</c> is left to readers outside Orleans.</summary>
    public string ConsumerGroup { get; set; } = "orleans-silos";

    /// <summary>How often each partition's read position is saved; a restart replays at most this much.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Events younger than this (since read) are never evicted from the cache.</summary>
    public TimeSpan CacheMinTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An event is evicted once this much newer data is behind it, read or not.</summary>
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A stream idle this long is forgotten by its pulling agent. Order streams are done in seconds;
    /// forgetting them keeps memory flat and lets a graceful shutdown checkpoint past them.
    /// </summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>As <see cref="MemoryStreamOptions.MaxEventDeliveryTime"/>: by default Orleans never skips a batch a consumer fails.</summary>
    public TimeSpan MaxEventDeliveryTime { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Partitions are spread over the silos by leases on blobs (container <see cref="LeaseContainer"/>):
    /// each silo takes its share, and a dead silo's leases lapse after this long, when the survivors
    /// take its partitions. A blob lease lasts 15 to 60 seconds.
    /// </summary>
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a silo renews its leases (well inside <see cref="LeaseLength"/>).</summary>
    public TimeSpan LeaseRenewPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo short of its share tries to take more (after a silo joins or leaves).</summary>
    public TimeSpan LeaseAcquisitionPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The leases' blob container; by default <c>{service id}-leases</c>, so that clusters sharing a storage account never take each other's leases.</summary>
    public string? LeaseContainer { get; set; }
}

/// <summary>Event Hubs as the stream provider of the <c>local</c> and <c>azure</c> profiles.</summary>
public static class EventHubStreams
{
    public static ISiloBuilder AddMarketplaceEventHubStreams(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = configuration.GetSection(EventHubSettings.Section).Get<EventHubSettings>() ?? new EventHubSettings();
        silo.AddAzureTables(configuration);
        silo.AddEventHubStreams(EventStreams.Provider, streams =>
        {
            streams.ConfigureEventHub(hub => hub.Configure(o => Connect(o, configuration, settings)));
            streams.UseDataAdapter((services, _) => ActivatorUtilities.CreateInstance<CloudEventsDataAdapter>(services));
            streams.UseAzureTableCheckpointer(checkpoints => checkpoints.Configure<AzureTables>((o, tables) =>
            {
                o.TableServiceClient = tables.Client;
                o.TableName = tables.TableNames.Checkpoints;
                o.PersistInterval = settings.CheckpointInterval;
            }));
            // With no checkpoint yet (a new hub or consumer group) start at the beginning, not at
            // "now": events published before the first silo came up are still handled.
            streams.ConfigurePartitionReceiver(receiver => receiver.Configure(o => o.StartFromNow = false));

            // Never skip a lagging consumer. Every consumer has its own cursor over one shared cache
            // per partition, and eviction is by age alone: an event goes once CacheMaxAge of newer
            // data is behind it, read or not ("item not found in cache" for a cursor still on it).
            // Averaging pressure would let five fast consumers outvote a slow one, so it is off; the
            // slow-consumer monitor instead stops reading from the hub while any consumer lags, so
            // newer data (and with it eviction) waits for the slowest. CacheMaxAge (10 min) is far
            // beyond how long one event can hold a consumer (its retry budget, 20 s, then a dead
            // letter): a consumer that far behind has failed its commits for minutes.
            streams.ConfigureCachePressuring(pressure => pressure.Configure(o =>
            {
                o.AveragingCachePressureMonitorFlowControlThreshold = null;
                o.SlowConsumingMonitorFlowControlThreshold = 0.7;
                o.SlowConsumingMonitorPressureWindowSize = TimeSpan.FromSeconds(10);
            }));
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = settings.CacheMinTime;
                o.DataMaxAgeInCache = settings.CacheMaxAge;
            }));

            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            streams.ConfigureBackoffProvider((_, _) => new DeliveryRetryBackoff());
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = settings.PollPeriod;
                o.StreamInactivityPeriod = settings.StreamInactivityPeriod;
                o.MaxEventDeliveryTime = settings.MaxEventDeliveryTime;
            }));

            // Orleans' default balancer places partitions on a hash ring of the silos, which can leave
            // most of them on one silo; leases give every silo its share (8 over 3: 3, 3, 2).
            streams.UseAzureBlobLeaseProvider(leases => leases.Configure<IOptions<ClusterOptions>>((o, cluster) =>
            {
                o.BlobServiceClient = LeaseBlobs(configuration);
                o.BlobContainerName = settings.LeaseContainer ?? LeaseContainerOf(cluster.Value.ServiceId);
            }));
            streams.ConfigurePartitionBalancing<LeaseBasedQueueBalancerOptions>(LeaseBasedQueueBalancer.Create, balancer => balancer.Configure(o =>
            {
                o.LeaseLength = settings.LeaseLength;
                o.LeaseRenewPeriod = settings.LeaseRenewPeriod;
                o.LeaseAcquisitionPeriod = settings.LeaseAcquisitionPeriod;
            }));
        });
        FailureReportingAdapterFactory.Register(silo.Services, EventHubAdapterFactory.Create);
        return silo;
    }

    /// <summary>A valid container name (lowercase letters, digits, single hyphens; at most 63) for a service's leases.</summary>
    private static string LeaseContainerOf(string serviceId)
    {
        var name = Regex.Replace(serviceId.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return $"{(name.Length > 56 ? name[..56].TrimEnd('-') : name)}-leases";
    }

    /// <summary>
    /// The Blob service of the storage account: <c>ConnectionStrings:Blobs</c>, else the account's
    /// connection string given for tables (it names both services); on Azure, the endpoint and the
    /// managed identity.
    /// </summary>
    private static BlobServiceClient LeaseBlobs(IConfiguration configuration)
    {
        if ((configuration.GetConnectionString("Blobs") ?? configuration.GetConnectionString("Tables")) is { Length: > 0 } connectionString)
        {
            return new BlobServiceClient(connectionString);
        }

        if (configuration[AzureSettings.BlobEndpoint] is { Length: > 0 } endpoint)
        {
            return new BlobServiceClient(new Uri(endpoint), AzureTables.Credential(configuration));
        }

        throw new InvalidOperationException(
            "Event Hubs streams need Blob storage for their partition leases: set ConnectionStrings:Blobs " +
            "(Azurite: UseDevelopmentStorage=true) or Azure:BlobEndpoint (with a managed identity).");
    }

    /// <summary>The emulator (or a quick trial) by connection string; Azure by namespace and managed identity.</summary>
    private static void Connect(EventHubOptions options, IConfiguration configuration, EventHubSettings settings)
    {
        if (configuration.GetConnectionString("EventHubs") is { Length: > 0 } connectionString)
        {
            options.ConfigureEventHubConnection(connectionString, settings.Hub, settings.ConsumerGroup);
        }
        else if (configuration[AzureSettings.EventHubsNamespace] is { Length: > 0 } fullyQualifiedNamespace)
        {
            options.ConfigureEventHubConnection(fullyQualifiedNamespace, settings.Hub, settings.ConsumerGroup, AzureTables.Credential(configuration));
        }
        else
        {
            throw new InvalidOperationException(
                "Event Hubs streams are selected but not configured: set ConnectionStrings:EventHubs " +
                "(emulator: Endpoint=sb://localhost;...;UseDevelopmentEmulator=true) or Azure:EventHubsNamespace.");
        }
    }
}
