using Marketplace.Grains.Orders;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// A real two-silo Orleans cluster in the test process, configured by the host's own
/// <see cref="SiloConfiguration"/> (embedded profile: memory storage and memory streams).
/// Each test class gets its own, so sales totals and stock belong to that class alone.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public Shop Shop { get; private set; } = null!;

    /// <summary>Configuration every silo of the cluster reads; override to vary it.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Marketplace:Profile"] = "embedded",
        ["Marketplace:Consumers:Retry:BaseDelay"] = "00:00:00.020",
    };

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var partitions = MarketplaceOptions.From(configuration).MemoryStreams.Partitions;

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddConfiguration(configuration));
        builder.ConfigureSilo((_, silo) => silo.AddMarketplace(configuration));
        // The client produces too (tests redeliver events), with the same queues and pub-sub mode.
        builder.ConfigureClient(client => client.AddMemoryStreams(EventStreams.Provider, streams =>
        {
            streams.ConfigurePartitioning(partitions);
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        }));
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        var silo = Cluster.GetSiloServiceProvider();
        Shop = new Shop(Client, silo.GetRequiredService<OrderTimeline>());
    }

    public T SiloService<T>() where T : notnull => Cluster.GetSiloServiceProvider().GetRequiredService<T>();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
