using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace Marketplace.Grains.Consumers;

/// <summary>
/// Base of every consumer: one grain per order per concern, subscribed implicitly to the event
/// namespaces named by its <c>[ImplicitStreamSubscription]</c> attributes. It makes handling
/// idempotent (an event already handled is skipped), retries transient failures with backoff and
/// jitter, and commits the event id in the same write as the consumer's saga state.
/// Effects on shared state go through entity grains with id-carrying, idempotent calls, so a
/// handler replayed after a crash between effect and commit changes nothing twice.
/// </summary>
public abstract partial class OrderEventConsumer<TSaga>(IPersistentState<ConsumerState<TSaga>> state)
    : Grain, IOrderEventConsumer, IStreamSubscriptionObserver, IAsyncObserver<OrderEvent>
    where TSaga : new()
{
    private static readonly ResiliencePropertyKey<string> OrderIdKey = new("marketplace.order-id");

    private int duplicatesIgnored;
    private ConsumerDescriptor? subscriptions;
    private ILogger? logger;
    private ResiliencePipeline? retry;

    /// <summary>The consumer's name: its grain type, as shown in timelines.</summary>
    protected string ConsumerName => this.GetGrainId().Type.ToString()!;

    protected string OrderId => this.GetPrimaryKeyString();

    protected TSaga Saga => state.State.Saga;

    private ILogger Logger => logger ??= ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(GetType());

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<OrderEvent>().ResumeAsync(this);

    public async Task OnNextAsync(OrderEvent item, StreamSequenceToken? token = null)
    {
        if (state.State.Handled.ContainsKey(item.EventId))
        {
            duplicatesIgnored++;
            LogDuplicate(Logger, ConsumerName, item.TypeName, item.EventId, item.OrderId);
            return;
        }

        // Handle in the order's sequence: an earlier event this consumer subscribes to that has not
        // arrived yet (another namespace's stream overtook it, or it predates this consumer) is read
        // from the journal and handled first. When it arrives it is a duplicate.
        var missing = item.Preceding
            .Select((streamNamespace, i) => (Sequence: i + 1L, Namespace: streamNamespace))
            .Where(earlier => Subscribes(earlier.Namespace) && !IsHandled(earlier.Sequence))
            .Select(earlier => earlier.Sequence)
            .ToHashSet();
        if (missing.Count > 0)
        {
            LogCatchUp(Logger, ConsumerName, item.OrderId, missing.Count, item.Sequence);
            foreach (var earlier in (await GrainFactory.GetGrain<IOrderGrain>(OrderId).GetEventsAsync()).Where(e => missing.Contains(e.Sequence)))
            {
                await HandleOneAsync(earlier);
            }
        }

        await HandleOneAsync(item);
    }

    private async Task HandleOneAsync(OrderEvent item)
    {
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true); // stay on the grain's scheduler
        context.Properties.Set(OrderIdKey, OrderId);
        var attempt = 0;
        try
        {
            await Retry.ExecuteAsync(
                async _ =>
                {
                    if (attempt++ > 0)
                    {
                        await state.ReadStateAsync(); // drop whatever the failed attempt changed in memory
                    }

                    await HandleAsync(item);
                },
                context);
        }
        catch
        {
            await state.ReadStateAsync(); // drop whatever the failed attempt changed in memory
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        state.State.Handled[item.EventId] = ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        await state.WriteStateAsync();
    }

    /// <summary>Event ids derive from order and sequence, so "handled?" needs no event in hand.</summary>
    private bool IsHandled(long sequence) => state.State.Handled.ContainsKey(DeterministicIds.ForEvent(OrderId, sequence));

    private bool Subscribes(string streamNamespace) => (subscriptions ??= ServiceProvider.GetRequiredService<ConsumerCatalog>()
        .All.Single(c => c.GrainType == this.GetGrainId().Type)).Handles(streamNamespace);

    public Task OnErrorAsync(Exception ex)
    {
        // The stream gave up redelivering an event to this consumer. Never silent.
        LogDeliveryFailed(Logger, ex, ConsumerName, OrderId);
        return Task.CompletedTask;
    }

    public Task<ConsumerProgress> GetProgressAsync() =>
        Task.FromResult(new ConsumerProgress(state.State.Handled.ToImmutableDictionary(), duplicatesIgnored));

    /// <summary>Reacts to one event. Runs again after a transient failure, so it must be repeatable.</summary>
    protected abstract Task HandleAsync(OrderEvent e);

    /// <summary>Reports this service's outcome, caused by <paramref name="cause"/>, to the order's journal.</summary>
    protected Task<OrderEvent> PublishAsync(OrderEvent outcome, OrderEvent cause) =>
        GrainFactory.GetGrain<IOrderGrain>(OrderId).AppendAsync(outcome, cause.EventId);

    /// <summary>One pipeline per consumer type, shared by its activations: it must not capture one.</summary>
    private ResiliencePipeline Retry => retry ??= ServiceProvider
        .GetRequiredService<ResiliencePipelineRegistry<string>>()
        .GetOrAddPipeline(ConsumerName, (builder, _) =>
        {
            var consumer = ConsumerName;
            var log = Logger;
            var options = ServiceProvider.GetRequiredService<IOptionsMonitor<ConsumerRetryOptions>>().Get(consumer);
            builder.AddRetry(new RetryStrategyOptions
            {
                // A stale entity activation is discarded on the conflict (StaleStateRecovery): retrying reads fresh state.
                ShouldHandle = new PredicateBuilder().Handle<TransientException>().Handle<InconsistentStateException>(),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    LogRetry(log, args.Outcome.Exception, consumer, args.Context.Properties.GetValue(OrderIdKey, "?"), args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            });
        });

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Consumer}: {EventType} {EventId} of order {OrderId} already handled; ignored")]
    private static partial void LogDuplicate(ILogger logger, string consumer, string eventType, Guid eventId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Consumer}: order {OrderId} has {Missing} earlier event(s) not yet delivered before {Sequence}; reading them from the journal")]
    private static partial void LogCatchUp(ILogger logger, string consumer, string orderId, int missing, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: transient failure for order {OrderId}; retry {Attempt}")]
    private static partial void LogRetry(ILogger logger, Exception? ex, string consumer, string orderId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Consumer}: the stream gave up delivering an event of order {OrderId}")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception ex, string consumer, string orderId);
}
