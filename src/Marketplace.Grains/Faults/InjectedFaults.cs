using Marketplace.Grains.Orders;
using Orleans.Streams;

namespace Marketplace.Grains.Faults;

/// <summary>
/// Registered only when <c>Marketplace:Faults</c> is configured: the host wraps its grain storage
/// and its event streams' adapter with what this returns, and the consumers' handling is filtered
/// by <see cref="ConsumerFaults"/>. Without it nothing of fault injection is on any path.
/// </summary>
public sealed class InjectedFaults(FaultInjector faults)
{
    /// <summary>Storage whose order writes "crash" after they are done (<c>Marketplace:Faults:order:CrashBeforePublishRate</c>).</summary>
    public IGrainStorage Around(IGrainStorage storage) => new JournalCrashes(storage, faults);

    /// <summary>Streams that carry some publishes twice (<c>Marketplace:Faults:streams:DuplicateRate</c>).</summary>
    public IQueueAdapterFactory Around(IQueueAdapterFactory streams) => new DuplicatePublishes(streams, faults);
}

/// <summary>
/// The order journal's process dying between its write and its publish: after writing an order
/// state that holds events not yet published (a checkout or an outcome just recorded, the outbox),
/// the write is done and the grain sees a failure. Its next activation finds the outbox.
/// </summary>
internal sealed class JournalCrashes(IGrainStorage inner, FaultInjector faults) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (grainState.State is OrderState order && order.Events.Count > order.PublishedSequence
            && FaultInjector.Roll(faults.Get(FaultInjector.Order).CrashBeforePublishRate))
        {
            throw new InjectedCrashException($"Injected crash between the write and the publish of order {grainId.Key}.");
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>
/// A producer's retry after a lost acknowledgement: the stream carries the publish twice, and every
/// consumer of it receives the events again (as a redelivering stream would hand them over).
/// </summary>
internal sealed class DuplicatePublishes(IQueueAdapterFactory inner, FaultInjector faults) : IQueueAdapterFactory
{
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        new Adapter(await inner.CreateAdapter(cancellationToken), faults);

    public IQueueAdapterCache GetQueueAdapterCache() => inner.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => inner.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => inner.GetDeliveryFailureHandler(queueId);

    private sealed class Adapter(IQueueAdapter inner, FaultInjector faults) : IQueueAdapter
    {
        public string Name => inner.Name;

        public bool IsRewindable => inner.IsRewindable;

        public StreamProviderDirection Direction => inner.Direction;

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => inner.CreateReceiver(queueId);

        public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
        {
            var batch = events.ToList();
            await inner.QueueMessageBatchAsync(streamId, batch, token, requestContext);
            if (FaultInjector.Roll(faults.Get(FaultInjector.Streams).DuplicateRate))
            {
                await inner.QueueMessageBatchAsync(streamId, batch, token, requestContext);
            }
        }
    }
}
