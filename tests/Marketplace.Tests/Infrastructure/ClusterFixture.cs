using Marketplace.Grains;
using Marketplace.Silo.Hosting;
using Marketplace.Silo.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// A real two-silo Orleans cluster in the test process, configured by the host's own
/// <see cref="SiloConfiguration"/>: the embedded profile here (memory storage and streams);
/// <see cref="AzureTableClusterFixture"/> puts the state in Azure Table storage on Azurite.
/// Each test class gets its own, so sales totals and stock belong to that class alone.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public Shop Shop { get; private set; } = null!;

    /// <summary>What the silos read; change a key and <c>Reload()</c> to reconfigure them while they run.</summary>
    public IConfigurationRoot Configuration { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(await SettingsAsync()).Build();
        Cluster = await StartClusterAsync(Configuration, customize: Customize);
        Shop = Shops.Of(Cluster);
    }

    /// <summary>Test-only changes to the cluster (say, a stand-in for a network service).</summary>
    protected virtual void Customize(InProcessTestClusterBuilder builder)
    {
    }

    public T SiloService<T>() where T : notnull => Cluster.GetSiloServiceProvider().GetRequiredService<T>();

    /// <summary>A grain's state as the grain storage holds it (what a new activation would read).</summary>
    public async Task<T> StoredStateAsync<T>(string stateName, GrainId grainId) where T : new()
    {
        var state = new GrainState<T>();
        await Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(Storage.Name).ReadStateAsync(stateName, grainId, state);
        return state.State ?? new();
    }

    public virtual async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Configuration every silo of the cluster reads; override to vary it.</summary>
    public virtual Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>
    {
        ["Marketplace:Profile"] = "embedded",
        ["Marketplace:Consumers:Retry:BaseDelay"] = "00:00:00.020",
        ["Marketplace:Consumers:Retry:MaxDelay"] = "00:00:00.500",
        ["Marketplace:Orders:RepublishAfter"] = "00:00:03",
        // Tests read consumers' records after orders settle; forgetting has tests of its own.
        ["Marketplace:Consumers:Retention"] = "00:01:00",
    });

    /// <summary>Starts a cluster; clusters started with the same service id and storage share their grains' state.</summary>
    public static Task<InProcessTestCluster> StartClusterAsync(
        Dictionary<string, string?> settings, string? serviceId = null, short silos = 2, Action<InProcessTestClusterBuilder>? customize = null) =>
        StartClusterAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), serviceId, silos, customize);

    public static async Task<InProcessTestCluster> StartClusterAsync(
        IConfigurationRoot configuration, string? serviceId = null, short silos = 2, Action<InProcessTestClusterBuilder>? customize = null)
    {
        var options = MarketplaceOptions.From(configuration);

        var builder = new InProcessTestClusterBuilder(silos);
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        builder.ConfigureSiloHost((_, host) => host.Configuration.AddConfiguration(configuration));
        builder.ConfigureSilo((_, silo) => silo.AddMarketplace(configuration));
        if (options.EffectiveStorage == StorageProvider.Memory)
        {
            builder.ConfigureSilo((_, silo) => DeadSiloStorage.Register(silo.Services));
        }

        // Consumers of one test, which a fixture adds back in its Customize; every other cluster runs without them.
        builder.ConfigureSilo((_, silo) => silo.Configure<GrainTypeOptions>(o => o.Classes.ExceptWith(OptInConsumers)));
        builder.ConfigureClient(client => PartitionOwnership.AllowInControlCommands(client.Services));
        if (options.EffectiveStreams == StreamsProvider.Memory)
        {
            // The client produces too (tests redeliver events), with the same queues and pub-sub mode.
            builder.ConfigureClient(client => client.AddMemoryStreams(EventStreams.Provider, streams =>
            {
                streams.ConfigurePartitioning(options.MemoryStreams.Partitions);
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            }));
        }

        customize?.Invoke(builder);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        if (options.EffectiveStreams == StreamsProvider.EventHubs)
        {
            // Partition leases settle seconds after the silos join: a test starts once every
            // partition has its one reader, not while partitions move between silos.
            var partitions = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IQueueAdapterFactory>(EventStreams.Provider).GetStreamQueueMapper().GetAllQueues().Count(); // as Orleans read them from the hub
            var share = (partitions + silos - 1) / silos;
            await Eventually.Get(async () => await PartitionReadersAsync(cluster) is { } readers && readers.Count == silos
                && readers.Values.SelectMany(p => p).Distinct().Count() == partitions && readers.Values.Sum(p => p.Length) == partitions
                && readers.Values.All(p => p.Length <= share) ? readers : null, "the hub's partitions spread over the silos", TimeSpan.FromMinutes(1));
        }

        return cluster;
    }

    public static readonly Type[] OptInConsumers = [typeof(TableStorage.BallastConsumer)];

    /// <summary>What each silo says it reads (its own report, as <c>GET /api/admin/cluster</c> asks it), by silo.</summary>
    public static async Task<Dictionary<string, string[]>> PartitionReadersAsync(InProcessTestCluster cluster) =>
        (await cluster.Client.GetGrain<IManagementGrain>(0).SendControlCommandToProvider<PartitionOwnership>(PartitionOwnership.Name, PartitionOwnership.Owned))
            .OfType<SiloPartitions>()
            .ToDictionary(a => a.Silo, a => a.Partitions.ToArray());
}

/// <summary>The same cluster with every grain's state in Azure Table storage (Azurite), in a table of its own.</summary>
public class AzureTableClusterFixture : ClusterFixture
{
    public string TableName { get; } = Azurite.NewTableName("state");

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Profile"] = "local";
        settings["Marketplace:Storage"] = "azuretable";
        settings["Marketplace:Streams"] = "memory";
        settings["ConnectionStrings:Tables"] = await Azurite.ConnectionStringAsync();
        settings["Marketplace:Tables:GrainState"] = TableName;
        return settings;
    }
}
