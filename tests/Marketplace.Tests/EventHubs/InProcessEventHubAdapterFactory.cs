using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Statistics;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Marketplace.Tests.EventHubs;

/// <summary>
/// The Orleans Event Hubs adapter with its network client replaced by an <see cref="InProcessEventHub"/>:
/// partition ids, sends and receivers come from the in-process hub; everything else (queue
/// mapping, the pooled cache and its pressure monitors, our CloudEvents data adapter, the Azure
/// Table checkpointer) is the product's configuration running unchanged.
/// </summary>
public sealed class InProcessEventHubAdapterFactory : EventHubAdapterFactory
{
    private readonly InProcessEventHub hub;

    public InProcessEventHubAdapterFactory(
        string name,
        EventHubOptions ehOptions,
        EventHubReceiverOptions receiverOptions,
        EventHubStreamCachePressureOptions cacheOptions,
        StreamCacheEvictionOptions cacheEvictionOptions,
        StreamStatisticOptions statisticOptions,
        IEventHubDataAdapter dataAdapter,
        IServiceProvider serviceProvider,
        ILoggerFactory loggerFactory,
        IEnvironmentStatisticsProvider environmentStatisticsProvider,
        InProcessEventHub hub)
        : base(name, ehOptions, receiverOptions, cacheOptions, cacheEvictionOptions, statisticOptions, dataAdapter, serviceProvider, loggerFactory, environmentStatisticsProvider)
    {
        this.hub = hub;
        var silo = serviceProvider.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
        EventHubReceiverFactory = (settings, offset, _) => hub.OpenReceiver(settings.Partition, offset, settings.ReceiverOptions.StartFromNow, silo);
    }

    /// <summary>Registered under the stream provider's name, it replaces the factory the product configured.</summary>
    public static new InProcessEventHubAdapterFactory Create(IServiceProvider services, string name)
    {
        T Options<T>() where T : class => services.GetRequiredService<IOptionsMonitor<T>>().Get(name);
        var factory = ActivatorUtilities.CreateInstance<InProcessEventHubAdapterFactory>(
            services, name, Options<EventHubOptions>(), Options<EventHubReceiverOptions>(), Options<EventHubStreamCachePressureOptions>(),
            Options<StreamCacheEvictionOptions>(), Options<StreamStatisticOptions>(), services.GetRequiredKeyedService<IEventHubDataAdapter>(name));
        factory.Init();
        return factory;
    }

    protected override void InitEventHubClient()
    {
        // No network client: the in-process hub is the service.
    }

    protected override Task<string[]> GetPartitionIdsAsync() => Task.FromResult(hub.PartitionIds);

    public override Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        hub.Send(dataAdapter.GetPartitionKey(streamId), dataAdapter.ToQueueMessage(streamId, events, token, requestContext));
        return Task.CompletedTask;
    }
}
