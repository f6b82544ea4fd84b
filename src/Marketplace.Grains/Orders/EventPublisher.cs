using System.Collections.Concurrent;
using Marketplace.Grains.Consumers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Marketplace.Grains.Orders;

/// <summary>
/// Puts order events on their shard's streams for every order journal of this silo. Where the
/// stream provider takes a batch as one queue message (<see cref="EventShardOptions.PublishInBatches"/>,
/// memory streams), publishes that meet on one stream go out together: while one batch is on its
/// way, the next gathers, so a busy stream sends one message for many orders and an idle one sends
/// at once. A journal's publish completes when its event's batch is accepted, or fails with it.
/// </summary>
public sealed class EventPublisher(IServiceProvider services, EventShards shards, ConsumerCatalog consumers, IOptions<EventShardOptions> options)
{
    private const int MaxBatch = 256;

    private readonly ConcurrentDictionary<StreamId, Lane> lanes = new();
    private IStreamProvider? provider;

    private IStreamProvider Provider => provider ??= services.GetRequiredKeyedService<IStreamProvider>(EventStreams.Provider);

    public Task PublishAsync(OrderEvent e)
    {
        if (options.Value.SkipUnsubscribed && !consumers.IsSubscribed(e.StreamNamespace))
        {
            return Task.CompletedTask;
        }

        var stream = Provider.GetStream<OrderEvent>(shards.StreamOf(e));
        return options.Value.PublishInBatches
            ? lanes.GetOrAdd(stream.StreamId, _ => new Lane(stream)).PublishAsync(e)
            : stream.OnNextAsync(e);
    }

    /// <summary>One stream's publishes: at most one batch in flight, the next one gathering behind it.</summary>
    private sealed class Lane(IAsyncStream<OrderEvent> stream)
    {
        private readonly Lock gate = new();
        private List<(OrderEvent Event, TaskCompletionSource Published)> gathering = [];
        private bool sending;

        public Task PublishAsync(OrderEvent e)
        {
            var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                gathering.Add((e, published));
                if (sending)
                {
                    return published.Task;
                }

                sending = true;
            }

            // Off the calling grain's scheduler: the lane serves every journal of the silo.
            _ = Task.Run(SendAsync);
            return published.Task;
        }

        private async Task SendAsync()
        {
            while (true)
            {
                List<(OrderEvent Event, TaskCompletionSource Published)> batch;
                lock (gate)
                {
                    if (gathering.Count == 0)
                    {
                        sending = false;
                        return;
                    }

                    batch = gathering.Count <= MaxBatch ? gathering : gathering[..MaxBatch];
                    gathering = gathering.Count <= MaxBatch ? [] : gathering[MaxBatch..];
                }

                try
                {
                    await stream.OnNextBatchAsync(batch.Select(p => p.Event).ToList());
                    batch.ForEach(p => p.Published.TrySetResult());
                }
                catch (Exception ex)
                {
                    batch.ForEach(p => p.Published.TrySetException(ex));
                }
            }
        }
    }
}
