using Marketplace.Grains;
using Orleans.Configuration;
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

        return options.EffectiveClustering switch
        {
            "localhost" => silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId),
            var other => throw NotAvailable("Clustering", other),
        };
    }

    /// <summary>Grain storage, streams and the services the grains need.</summary>
    public static ISiloBuilder AddMarketplace(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = MarketplaceOptions.From(configuration);

        _ = options.EffectiveStorage switch
        {
            "memory" => silo.AddMemoryGrainStorage(Storage.Name),
            var other => throw NotAvailable("Storage", other),
        };

        _ = options.EffectiveStreams switch
        {
            "memory" => silo.AddMemoryStreams(EventStreams.Provider, streams =>
            {
                streams.ConfigurePartitioning(options.MemoryStreams.Partitions);
                // Consumers subscribe implicitly only: no pub-sub rendezvous grain on the hot path.
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(agent => agent.Configure(o =>
                {
                    o.GetQueueMsgsTimerPeriod = options.MemoryStreams.PollPeriod;
                    o.BatchContainerBatchSize = options.MemoryStreams.BatchSize;
                }));
            }),
            var other => throw NotAvailable("Streams", other),
        };

        silo.Services.AddMarketplaceGrains();
        return silo;
    }

    private static NotSupportedException NotAvailable(string key, string value) =>
        new($"Marketplace:{key} = '{value}' is not available in this build; the embedded profile " +
            "(localhost clustering, memory storage, memory streams) is.");
}
