using System.Net;
using System.Net.Sockets;
using Marketplace.Grains;
using Marketplace.Silo.Streaming;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Streams;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// The one place that turns configuration into Orleans providers. The host and the tests both call
/// it, so what is tested is what runs.
/// </summary>
public static class SiloConfiguration
{
    /// <summary>Cluster membership and endpoints. Test clusters bring their own and skip this.</summary>
    public static ISiloBuilder UseMarketplaceClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = MarketplaceOptions.From(configuration);
        var orleans = configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "marketplace";
        var serviceId = orleans["ServiceId"] ?? "marketplace";
        var siloPort = orleans.GetValue("SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = orleans.GetValue("GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);

        switch (options.EffectiveClustering)
        {
            case "localhost":
                return silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);

            case "azuretable":
                silo.AddAzureTables(configuration);
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                // Probe and vote timings, for operators who need faster (or calmer) failure detection.
                silo.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
                silo.UseAzureStorageClustering(membership => membership.Configure<AzureTables>((o, tables) =>
                {
                    o.TableServiceClient = tables.Client;
                    o.TableName = tables.TableNames.Membership;
                }));
                return silo.ConfigureEndpoints(AdvertisedAddress(options, orleans), siloPort, gatewayPort, listenOnAnyHostAddress: true);

            case var other:
                throw NotAvailable("Clustering", other);
        }
    }

    /// <summary>
    /// The address other silos reach this one at: <c>Orleans:AdvertisedIPAddress</c> when set;
    /// loopback in the local profile (every silo on this machine); else this host's address.
    /// </summary>
    private static IPAddress AdvertisedAddress(MarketplaceOptions options, IConfiguration orleans)
    {
        if (orleans["AdvertisedIPAddress"] is { Length: > 0 } configured)
        {
            return IPAddress.Parse(configured);
        }

        return string.Equals(options.Profile, MarketplaceOptions.Local, StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : Dns.GetHostAddresses(Dns.GetHostName()).First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
    }

    /// <summary>Grain storage, streams and the services the grains need.</summary>
    public static ISiloBuilder AddMarketplace(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = MarketplaceOptions.From(configuration);

        _ = options.EffectiveStorage switch
        {
            "memory" => silo.ConfigureServices(services => services.AddGrainStorage(Storage.Name, (sp, name) =>
                ActivatorUtilities.CreateInstance<InProcessGrainStorage>(sp, name, options.MemoryStorage))),
            "azuretable" => silo.AddAzureTables(configuration).AddAzureTableGrainStorage(Storage.Name, storage => storage.Configure<AzureTables, Serializer>((o, tables, serializer) =>
            {
                o.TableServiceClient = tables.Client;
                o.TableName = tables.TableNames.GrainState;
                // The Orleans serializer, not JSON: the same version-tolerant [Id] contract as the
                // events, and compact, so large states stay well inside Table's entity limits.
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            })),
            var other => throw NotAvailable("Storage", other),
        };

        _ = options.EffectiveStreams switch
        {
            "memory" => silo.Configure<EventShardOptions>(o => o.PublishInBatches = o.SkipUnsubscribed = true).AddMemoryStreams(EventStreams.Provider, streams =>
            {
                streams.ConfigurePartitioning(options.MemoryStreams.Partitions);
                // Consumers subscribe implicitly only: no pub-sub rendezvous grain on the hot path.
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(agent => agent.Configure(o =>
                {
                    o.GetQueueMsgsTimerPeriod = options.MemoryStreams.PollPeriod;
                    o.BatchContainerBatchSize = options.MemoryStreams.BatchSize;
                    o.StreamInactivityPeriod = options.MemoryStreams.StreamInactivityPeriod;
                }));
                streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
                {
                    o.DataMinTimeInCache = options.MemoryStreams.CacheMinTime;
                    o.DataMaxAgeInCache = options.MemoryStreams.CacheMaxAge;
                }));
            }),
            "eventhubs" => silo.AddMarketplaceEventHubStreams(configuration),
            var other => throw NotAvailable("Streams", other),
        };

        // Orleans caches the address of every activation the silo has called, up to a million: with
        // grains per order that is memory growing with orders (1.1 KB an order in the load test).
        // Hot grains and the orders in flight fit in far fewer (section Marketplace:GrainDirectory, as
        // Orleans' own GrainDirectoryOptions; Orleans:GrainDirectory names directory providers).
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
        silo.Services.AddOptions<GrainDirectoryOptions>().BindConfiguration("Marketplace:GrainDirectory");
        silo.Services.AddMarketplaceGrains();
        PartitionOwnership.AllowInControlCommands(silo.Services)
            .AddSingleton<PartitionOwnership>()
            .AddKeyedSingleton<IControllable>(PartitionOwnership.Name, (sp, _) => sp.GetRequiredService<PartitionOwnership>())
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PartitionOwnership>());
        return silo;
    }

    /// <summary>The default size of Orleans' directory cache, per silo.</summary>
    public const int DirectoryCacheSize = 20_000;

    private static NotSupportedException NotAvailable(string key, string value) =>
        new($"Marketplace:{key} = '{value}' is not available in this build. Available: Clustering " +
            "localhost|azuretable, Storage memory|azuretable, Streams memory|eventhubs.");
}
