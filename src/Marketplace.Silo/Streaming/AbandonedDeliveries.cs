using System.Buffers.Binary;
using Marketplace.Grains;
using Marketplace.Grains.Consumers;
using Marketplace.Grains.Faults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Streams;

namespace Marketplace.Silo.Streaming;

/// <summary>
/// Where Orleans reports a batch it stopped trying to deliver to a consumer: after
/// <c>MaxEventDeliveryTime</c> of failed attempts (infinite by default here: see
/// <see cref="Hosting.MemoryStreamOptions.MaxEventDeliveryTime"/>), or when the consumer's cursor
/// fell out of the cache. The consumer's own <c>OnErrorAsync</c> cannot be relied on for this: a
/// consumer fails a batch only when its commit fails, which discards the activation
/// (<see cref="StaleStateRecovery"/>), and Orleans drops an error addressed to an activation that
/// has not subscribed yet. So the stream provider's failure handler reports it, once, loudly.
/// </summary>
public sealed partial class AbandonedDeliveries(
    ConsumerCatalog consumers,
    MarketplaceMetrics metrics,
    ILogger<AbandonedDeliveries> logger) : IStreamFailureHandler
{
    /// <summary>Implicit subscriptions cannot be faulted; Orleans moves on past the batch.</summary>
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        Report(subscriptionId, streamIdentity, sequenceToken, "the stream gave up delivering the batch");

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        Report(subscriptionId, streamIdentity, sequenceToken, "the stream could not read on from the consumer's position (evicted from the cache)");

    private Task Report(GuidId subscriptionId, StreamId stream, StreamSequenceToken? position, string what)
    {
        var consumer = ConsumerOf(subscriptionId);
        metrics.Abandoned(consumer);
        LogAbandoned(consumer, what, stream, position);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The consumer an implicit subscription id stands for. Orleans derives the id from the grain
    /// type's hash (its first four bytes) and the stream; its table that maps them back is internal.
    /// </summary>
    private string ConsumerOf(GuidId subscriptionId)
    {
        Span<byte> id = stackalloc byte[16];
        subscriptionId.Guid.TryWriteBytes(id);
        var typeHash = BinaryPrimitives.ReadUInt32LittleEndian(id);
        return consumers.All.FirstOrDefault(c => c.GrainType.GetUniformHashCode() == typeHash)?.Name ?? $"subscription {subscriptionId}";
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Consumer}: {What} on stream {Stream} at {Position}; orders whose events it held are complete for this consumer only once their delivery check or a later event brings them")]
    private partial void LogAbandoned(string consumer, string what, StreamId stream, StreamSequenceToken? position);
}

/// <summary>A stream provider's adapter factory whose failures go to <see cref="AbandonedDeliveries"/>, where Orleans' would do nothing.</summary>
public sealed class FailureReportingAdapterFactory(IQueueAdapterFactory inner, AbandonedDeliveries failures) : IQueueAdapterFactory
{
    /// <summary>
    /// Registers <paramref name="create"/>'s factory as the event streams' own, reporting its
    /// failures (and, where faults are configured, duplicating some publishes: <see cref="InjectedFaults"/>).
    /// </summary>
    public static IServiceCollection Register(IServiceCollection services, Func<IServiceProvider, string, IQueueAdapterFactory> create)
    {
        services.TryAddSingleton<AbandonedDeliveries>();
        return services.AddKeyedSingleton<IQueueAdapterFactory>(EventStreams.Provider, (provider, name) =>
        {
            IQueueAdapterFactory streams = new FailureReportingAdapterFactory(create(provider, (string)name!), provider.GetRequiredService<AbandonedDeliveries>());
            return provider.GetService<InjectedFaults>()?.Around(streams) ?? streams;
        });
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => inner.CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => inner.CreateAdapter(cancellationToken);

    public IQueueAdapterCache GetQueueAdapterCache() => inner.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => inner.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(failures);
}
