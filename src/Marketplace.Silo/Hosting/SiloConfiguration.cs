using System.Net;
using System.Net.Sockets;
using Marketplace.Grains;
using Marketplace.Grains.Faults;
using Marketplace.Silo.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    /// <summary>
    /// The API role: an Orleans client that finds the silos' gateways where the silos register
    /// themselves (the membership table), or on this machine in the embedded profile.
    /// </summary>
    public static IClientBuilder UseMarketplaceClustering(this IClientBuilder client, IConfiguration configuration)
    {
        var options = MarketplaceOptions.From(configuration);
        var orleans = configuration.GetSection("Orleans");
        var (clusterId, serviceId) = ClusterIdentity(orleans);
        PartitionOwnership.AllowInControlCommands(client.Services);
        switch (options.EffectiveClustering)
        {
            case ClusteringProvider.Localhost:
                return client.UseLocalhostClustering(orleans.GetValue("GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT), serviceId, clusterId);

            default:
                client.Services.AddAzureTables(configuration);
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                return client.UseAzureStorageClustering(gateways => gateways.Configure<AzureTables>((o, tables) =>
                {
                    o.TableServiceClient = tables.Client;
                    o.TableName = tables.TableNames.Membership;
                }));
        }
    }

    private static (string ClusterId, string ServiceId) ClusterIdentity(IConfiguration orleans) =>
        (orleans["ClusterId"] ?? "marketplace", orleans["ServiceId"] ?? "marketplace");

    /// <summary>Cluster membership and endpoints. Test clusters bring their own and skip this.</summary>
    public static ISiloBuilder UseMarketplaceClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = MarketplaceOptions.From(configuration);
        var orleans = configuration.GetSection("Orleans");
        var (clusterId, serviceId) = ClusterIdentity(orleans);
        var siloPort = orleans.GetValue("SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = orleans.GetValue("GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        if ((orleans["SiloName"] ?? configuration[AzureSettings.ReplicaName]) is { Length: > 0 } name)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = name);
        }

        switch (options.EffectiveClustering)
        {
            case ClusteringProvider.Localhost:
                return silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);

            default:
                silo.AddAzureTables(configuration);
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                // After every silo died at once (a host failure, a rollout gone wrong), a new silo joins
                // only once it has declared the old rows dead, which a lone silo may do when they are
                // stale: their "I am alive" is written every 3 s and stale after 6 s without (Orleans:
                // 30 s and 90 s), and a silo is suspected after two missed probes of 5 s (Orleans: three;
                // indirect probes still confirm before a live silo is voted out). New silos then take
                // orders about 20 s after the crash instead of two minutes, for a table write every 3 s.
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    (o.IAmAliveTablePublishTimeout, o.NumMissedTableIAmAliveLimit) = (TimeSpan.FromSeconds(3), 2);
                    o.NumMissedProbesLimit = 2;
                });
                // Probe and vote timings, for operators who need faster (or calmer) failure detection.
                silo.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
                silo.UseAzureStorageClustering(membership => membership.Configure<AzureTables>((o, tables) =>
                {
                    o.TableServiceClient = tables.Client;
                    o.TableName = tables.TableNames.Membership;
                }));
                silo.Services.AddSingleton<PredecessorStandby>()
                    .AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PredecessorStandby>());
                return silo.Configure<EndpointOptions>(endpoints =>
                {
                    endpoints.AdvertisedIPAddress = AdvertisedAddress(options, orleans);
                    (endpoints.SiloPort, endpoints.GatewayPort) = (siloPort, gatewayPort);
                    endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, orleans.GetValue("SiloListeningPort", siloPort));
                    endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, orleans.GetValue("GatewayListeningPort", gatewayPort));
                });
        }
    }

    /// <summary>
    /// The address other silos and clients reach this one at: <c>Orleans:AdvertisedIPAddress</c> when
    /// set; loopback in the local profile (every silo on this machine); else this host's address.
    /// With it go the advertised ports (<c>Orleans:SiloPort</c>, <c>Orleans:GatewayPort</c>); the silo
    /// listens on any address, on <c>Orleans:SiloListeningPort</c> and <c>Orleans:GatewayListeningPort</c>
    /// (the advertised ports unless set). They differ behind a port mapping: on Container Apps a silo
    /// advertises the environment's static IP and its app's exposed ports, and listens on the target ports.
    /// </summary>
    private static IPAddress AdvertisedAddress(MarketplaceOptions options, IConfiguration orleans)
    {
        if (orleans["AdvertisedIPAddress"] is { Length: > 0 } configured)
        {
            return IPAddress.Parse(configured);
        }

        return options.Profile == Profile.Local
            ? IPAddress.Loopback
            : Dns.GetHostAddresses(Dns.GetHostName()).First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
    }

    /// <summary>Grain storage, streams and the services the grains need.</summary>
    public static ISiloBuilder AddMarketplace(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = MarketplaceOptions.From(configuration);

        if (options.EffectiveStorage == StorageProvider.Memory)
        {
            silo.Services.TryAddSingleton<InProcessStateStore>();
            silo.ConfigureServices(services => services.AddGrainStorage(Storage.Name, (sp, name) =>
                WithInjectedFaults(sp, ActivatorUtilities.CreateInstance<InProcessGrainStorage>(sp, name, options.MemoryStorage))));
            // Reminders keep where the state is: an unfinished order's wake-up must outlive its silo.
            silo.UseInMemoryReminderService();
        }
        else
        {
            silo.AddAzureTables(configuration).AddAzureTableGrainStorage(TableStorageName, storage => storage.Configure<AzureTables, Serializer>((o, tables, serializer) =>
            {
                o.TableServiceClient = tables.Client;
                o.TableName = tables.TableNames.GrainState;
                // The Orleans serializer, not JSON: the same version-tolerant [Id] contract as the
                // events, and compact, so large states stay well inside Table's entity limits.
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            })).ConfigureServices(services => services.AddKeyedSingleton<IGrainStorage>(Storage.Name, (sp, _) =>
                WithInjectedFaults(sp, new SizeCheckedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(TableStorageName)))));
            silo.UseAzureTableReminderService(reminders => reminders.Configure<AzureTables>((o, tables) =>
            {
                o.TableServiceClient = tables.Client;
                o.TableName = tables.TableNames.Reminders;
            }));
        }

        if (options.EffectiveStreams == StreamsProvider.Memory)
        {
            silo.Configure<EventShardOptions>(o => o.PublishInBatches = o.SkipUnsubscribed = true).AddMemoryStreams(EventStreams.Provider, streams =>
            {
                streams.ConfigurePartitioning(options.MemoryStreams.Partitions);
                // Consumers subscribe implicitly only: no pub-sub rendezvous grain on the hot path.
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigureBackoffProvider((_, _) => new DeliveryRetryBackoff());
                streams.ConfigurePullingAgent(agent => agent.Configure(o =>
                {
                    o.GetQueueMsgsTimerPeriod = options.MemoryStreams.PollPeriod;
                    o.BatchContainerBatchSize = options.MemoryStreams.BatchSize;
                    o.StreamInactivityPeriod = options.MemoryStreams.StreamInactivityPeriod;
                    o.MaxEventDeliveryTime = options.MemoryStreams.MaxEventDeliveryTime;
                }));
                streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
                {
                    o.DataMinTimeInCache = options.MemoryStreams.CacheMinTime;
                    o.DataMaxAgeInCache = options.MemoryStreams.CacheMaxAge;
                }));
            });
            FailureReportingAdapterFactory.Register(silo.Services, MemoryAdapterFactory<DefaultMemoryMessageBodySerializer>.Create);
        }
        else
        {
            silo.AddMarketplaceEventHubStreams(configuration);
        }

        // Orleans caches the address of every activation the silo has called, up to a million: with
        // grains per order that is memory growing with orders (1.1 KB an order in the load test).
        // Hot grains and the orders in flight fit in far fewer (section Marketplace:GrainDirectory, as
        // Orleans' own GrainDirectoryOptions; Orleans:GrainDirectory names directory providers).
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
        silo.Services.AddOptions<GrainDirectoryOptions>().BindConfiguration("Marketplace:GrainDirectory");
        silo.Services.AddMarketplaceGrains(configuration);
        PartitionOwnership.AllowInControlCommands(silo.Services)
            .AddSingleton<PartitionOwnership>()
            .AddKeyedSingleton<IControllable>(PartitionOwnership.Name, (sp, _) => sp.GetRequiredService<PartitionOwnership>())
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PartitionOwnership>());
        return silo;
    }

    private static IGrainStorage WithInjectedFaults(IServiceProvider services, IGrainStorage storage) =>
        services.GetService<InjectedFaults>()?.Around(storage) ?? storage;

    /// <summary>The Azure Table provider itself, behind <see cref="SizeCheckedGrainStorage"/> (named <see cref="Storage.Name"/>).</summary>
    private const string TableStorageName = Storage.Name + "-table";

    /// <summary>The default size of Orleans' directory cache, per silo.</summary>
    public const int DirectoryCacheSize = 20_000;
}
