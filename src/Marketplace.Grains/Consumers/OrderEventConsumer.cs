using System.Diagnostics;
using Marketplace.Contracts.DeadLetters;
using Marketplace.Grains.DeadLetters;
using Marketplace.Grains.Faults;
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
/// idempotent (an event already handled is skipped), handles each order's events in sequence,
/// retries transient failures with backoff and jitter, dead-letters what still fails, and commits
/// the event id in the same write as the consumer's saga state. Effects on shared state go through
/// entity grains with id-carrying, idempotent calls, so a handler replayed after a crash between
/// effect and commit changes nothing twice.
/// </summary>
public abstract partial class OrderEventConsumer<TSaga>(IPersistentState<ConsumerState<TSaga>> state)
    : Grain, IOrderEventConsumer, IStreamSubscriptionObserver, IAsyncObserver<OrderEvent>
    where TSaga : new()
{
    private static readonly ResiliencePropertyKey<string> OrderIdKey = new("marketplace.order-id");

    private int duplicatesIgnored;
    private ConsumerDescriptor? subscriptions;
    private ResiliencePipeline? retry;
    private ILogger? logger;

    /// <summary>The consumer's name: its grain type, as shown in timelines.</summary>
    protected string ConsumerName => this.GetGrainId().Type.ToString()!;

    protected string OrderId => this.GetPrimaryKeyString();

    protected TSaga Saga => state.State.Saga;

    private ILogger Logger => logger ??= ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(GetType());

    private MarketplaceMetrics Metrics => ServiceProvider.GetRequiredService<MarketplaceMetrics>();

    private FaultInjector Faults => ServiceProvider.GetRequiredService<FaultInjector>();

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<OrderEvent>().ResumeAsync(this);

    public async Task OnNextAsync(OrderEvent item, StreamSequenceToken? token = null)
    {
        try
        {
            await DeliverAsync(item);
        }
        catch (HandlingFailedException failure)
        {
            // Out of retries, or a permanent failure: record it durably and let the stream move on.
            // The order's later events for this consumer wait behind it (see DeliverAsync).
            await DeadLetterAsync(failure.Event, failure);
            if (failure.Event.EventId != item.EventId)
            {
                await DeadLetterAsync(item, new HandlingFailedException(item, 0, new InvalidOperationException(
                    $"Waits for {failure.Event.TypeName} #{failure.Event.Sequence}, which is dead-lettered.")));
            }

            return;
        }

        if (Faults.DeliverTwice(ConsumerName))
        {
            await DeliverAsync(item); // as a redelivering stream would: recognised as a duplicate
        }
    }

    public Task ReplayAsync(OrderEvent @event) => DeliverAsync(@event);

    public Task OnErrorAsync(Exception ex)
    {
        // Only when recording a dead letter itself kept failing: the stream gave up on the event.
        Metrics.Abandoned(ConsumerName);
        LogDeliveryAbandoned(Logger, ex, ConsumerName, OrderId);
        return Task.CompletedTask;
    }

    public Task<ConsumerProgress> GetProgressAsync() =>
        Task.FromResult(new ConsumerProgress(state.State.Handled.ToImmutableDictionary(), duplicatesIgnored, state.State.DeadLettered.ToImmutableHashSet()));

    /// <summary>Reacts to one event. Runs again after a transient failure, so it must be repeatable.</summary>
    protected abstract Task HandleAsync(OrderEvent e);

    /// <summary>Reports this service's outcome, caused by <paramref name="cause"/>, to the order's journal.</summary>
    protected Task<OrderEvent> PublishAsync(OrderEvent outcome, OrderEvent cause) =>
        GrainFactory.GetGrain<IOrderGrain>(OrderId).AppendAsync(outcome, cause.EventId);

    private async Task DeliverAsync(OrderEvent item)
    {
        if (state.State.Handled.ContainsKey(item.EventId))
        {
            duplicatesIgnored++;
            Metrics.Duplicate(ConsumerName, item.TypeName);
            LogDuplicate(Logger, ConsumerName, item.TypeName, item.EventId, item.OrderId);
            return;
        }

        // Handle in the order's sequence: an earlier event this consumer subscribes to that has not
        // reached it (another namespace's stream overtook it, it was dead-lettered, or it predates
        // this consumer) is read from the journal and handled first. When it arrives it is a duplicate.
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

    /// <exception cref="HandlingFailedException">A permanent failure, or transient ones past the retry budget.</exception>
    private async Task HandleOneAsync(OrderEvent item)
    {
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true); // stay on the grain's scheduler
        context.Properties.Set(OrderIdKey, OrderId);
        var attempts = 0;
        var started = Stopwatch.GetTimestamp();
        using var activity = MarketplaceTracing.StartProcess(ConsumerName, item);
        using var scope = Logger.BeginScope(new Dictionary<string, object?>
        {
            ["OrderId"] = item.OrderId,
            ["EventId"] = item.EventId,
            ["EventType"] = item.TypeName,
            ["TraceId"] = Activity.Current?.TraceId.ToString(),
        });
        try
        {
            await Retry.ExecuteAsync(
                async _ =>
                {
                    if (attempts++ > 0)
                    {
                        await state.ReadStateAsync(); // drop whatever the failed attempt changed in memory
                    }

                    await Faults.BeforeHandlingAsync(ConsumerName, item);
                    await HandleAsync(item);
                },
                context);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await state.ReadStateAsync(); // drop whatever the failed attempt changed in memory
            throw new HandlingFailedException(item, attempts, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        state.State.Handled[item.EventId] = ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var wasDeadLettered = state.State.DeadLettered.Remove(item.EventId);
        await state.WriteStateAsync();
        Metrics.Handled(ConsumerName, item.TypeName, Stopwatch.GetElapsedTime(started));
        if (wasDeadLettered)
        {
            await GrainFactory.GetGrain<IDeadLetterGrain>(DeadLetterGrain.IdOf(ConsumerName, item.EventId)).CloseAsync();
        }
    }

    private async Task DeadLetterAsync(OrderEvent e, HandlingFailedException failure)
    {
        var letter = new DeadLetter(
            DeadLetterGrain.IdOf(ConsumerName, e.EventId), ConsumerName, e.EventId, e.OrderId, e.TypeName,
            failure.InnerException?.Message ?? failure.Message, failure.Attempts, ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
        await GrainFactory.GetGrain<IDeadLetterGrain>(letter.Id).RecordAsync(letter, e);
        if (state.State.DeadLettered.Add(e.EventId))
        {
            await state.WriteStateAsync(); // so the order's delivery check does not republish it
        }

        Metrics.DeadLettered(ConsumerName, e.TypeName);
        LogDeadLettered(Logger, failure.InnerException ?? failure, ConsumerName, e.TypeName, e.Sequence, e.OrderId, failure.Attempts, letter.Id);
    }

    /// <summary>Event ids derive from order and sequence, so "handled?" needs no event in hand.</summary>
    private bool IsHandled(long sequence) => state.State.Handled.ContainsKey(DeterministicIds.ForEvent(OrderId, sequence));

    private bool Subscribes(string streamNamespace) => (subscriptions ??= ServiceProvider.GetRequiredService<ConsumerCatalog>()
        .All.Single(c => c.GrainType == this.GetGrainId().Type)).Handles(streamNamespace);

    /// <summary>One pipeline per consumer type, shared by its activations: it must not capture one.</summary>
    private ResiliencePipeline Retry => retry ??= ServiceProvider
        .GetRequiredService<ResiliencePipelineRegistry<string>>()
        .GetOrAddPipeline(ConsumerName, (builder, _) =>
        {
            var consumer = ConsumerName;
            var log = Logger;
            var metrics = Metrics;
            var options = ServiceProvider.GetRequiredService<IOptionsMonitor<ConsumerRetryOptions>>().Get(consumer);
            // The whole budget, retries included, stays inside a stream delivery's 30 s call timeout:
            // past it the event is dead-lettered rather than redelivered behind itself.
            builder.AddTimeout(options.Budget);
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(Failures.IsTransient),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    metrics.Retried(consumer);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Consumer}: {EventType} #{Sequence} of order {OrderId} failed after {Attempts} attempt(s); dead letter {DeadLetterId}")]
    private static partial void LogDeadLettered(ILogger logger, Exception ex, string consumer, string eventType, long sequence, string orderId, int attempts, string deadLetterId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Consumer}: the stream gave up delivering an event of order {OrderId}: it could not even be dead-lettered")]
    private static partial void LogDeliveryAbandoned(ILogger logger, Exception ex, string consumer, string orderId);
}
