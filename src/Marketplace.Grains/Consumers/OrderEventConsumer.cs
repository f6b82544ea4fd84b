using System.Diagnostics;
using System.Runtime.InteropServices;
using Marketplace.Contracts.DeadLetters;
using Marketplace.Grains.DeadLetters;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Marketplace.Grains.Consumers;

/// <summary>
/// Base of every consumer: one activation per concern per shard (key: the shard), subscribed
/// implicitly to the namespaces its <c>[ImplicitStreamSubscription]</c> attributes name, and to the
/// order's first and last events, which every consumer receives so that it knows when an order
/// begins and when its record may go (see <see cref="ConsumerOptions.Retention"/>).
/// <para>
/// It takes whole batches: events are grouped by order, each order's events are handled in
/// sequence (an earlier event that has not arrived is read from the journal first), and the
/// shard's progress is written once per batch. An order whose handler fails is parked: its later
/// events wait behind it, a timer retries it with backoff, and after the retry budget its events go
/// to the dead letters; the other orders of the shard flow on. Effects on shared state go through
/// entity grains with idempotent calls, so a batch handled again after a crash changes nothing twice.
/// </para>
/// </summary>
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public abstract partial class OrderEventConsumer<TNotes>(IPersistentState<ConsumerState<TNotes>> state, ConsumerServices services)
    : Grain, IOrderEventConsumer, IStreamSubscriptionObserver, IAsyncBatchObserver<OrderEvent>
    where TNotes : new()
{
    private readonly Dictionary<string, bool> subscribes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PriorityQueue<string, DateTimeOffset>> concluded = new(StringComparer.Ordinal);
    private readonly List<string> lettersToClose = [];
    private ConsumerRetryOptions retry = null!;
    private ConsumerDescriptor descriptor = null!;
    private ILogger logger = null!;
    private IGrainTimer? retryTimer;
    private DateTimeOffset? retryDue;
    private string shardKey = "";

    // The shard's records while batches run: a builder changes a record in place, where the
    // immutable map would copy its path for every change; the stored state takes a frozen copy at
    // each commit.
    private ImmutableDictionary<string, OrderProgress<TNotes>>.Builder orders = null!;

    /// <summary>The consumer's name: its grain type, as shown in timelines and dead letters.</summary>
    protected string ConsumerName => descriptor.Name;

    private ConsumerState<TNotes> Shard => state.State;

    private DateTimeOffset Now => services.Clock.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        descriptor = services.Catalog.All.Single(c => c.GrainType == this.GetGrainId().Type);
        retry = services.RetryOf(ConsumerName);
        logger = services.Loggers.CreateLogger(GetType());
        shardKey = this.GetPrimaryKeyString();
        orders = Shard.Orders.ToBuilder();
        foreach (var (orderId, record) in orders)
        {
            if (record.ConcludedOn is { } stream)
            {
                ConclusionsOn(stream).Enqueue(orderId, record.ConcludedAt);
            }

            if (record.RetryAt is { } due)
            {
                ArmRetry(due);
            }
        }

        var catchUp = services.Options.CatchUpAfter;
        this.RegisterGrainTimer(CatchUpFromJournalsAsync, new GrainTimerCreationOptions(catchUp, catchUp));
        return Task.CompletedTask;
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<OrderEvent>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<OrderEvent>> items)
    {
        var byOrder = new Dictionary<string, List<OrderEvent>>(StringComparer.Ordinal);
        var oldest = DateTimeOffset.MaxValue;
        foreach (var item in items)
        {
            var e = item.Item;
            oldest = e.OccurredAt < oldest ? e.OccurredAt : oldest;
            if (EventStreams.IsConclusion(e))
            {
                AdvanceClock(e);
            }

            (CollectionsMarshal.GetValueRefOrAddDefault(byOrder, e.OrderId, out _) ??= []).Add(e);
        }

        if (items.Count > 0)
        {
            services.Metrics.Lagged(ConsumerName, shardKey, Now - oldest);
        }

        await Task.WhenAll(byOrder.Select(order => DeliverAsync(order.Key, order.Value)));
        await CommitAsync();
    }

    /// <summary>
    /// Not where a skipped batch is reported: a batch fails only when its commit fails, which
    /// discards this activation, so Orleans' error would reach a fresh one that has not subscribed
    /// yet and be dropped. The stream provider's failure handler reports it instead (AbandonedDeliveries).
    /// </summary>
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public async Task ReplayAsync(OrderEvent @event)
    {
        Put(@event.OrderId, Record(@event.OrderId) ?? new());
        Failure? failure = null;
        if (Record(@event.OrderId)!.IsHandled(@event.Sequence))
        {
            CountDuplicate(@event);
        }
        else
        {
            failure = await HandleInOrderAsync(@event);
        }

        await CommitAsync();
        if (failure is not null)
        {
            throw new HandlingFailedException(failure.Event, 1, failure.Error);
        }
    }

    public async Task RedeliverAsync(OrderEvent @event)
    {
        await DeliverAsync(@event.OrderId, [@event]);
        await CommitAsync();
    }

    public Task<ConsumerProgress> GetProgressAsync(string orderId, OrderEvent? conclusion = null) => Task.FromResult(
        Record(orderId) is { } record
            ? new ConsumerProgress(
                record.Handled.ToImmutableDictionary(h => DeterministicIds.ForEvent(orderId, h.Sequence), h => h.At),
                record.DuplicatesIgnored,
                [.. record.DeadLettered.Select(sequence => DeterministicIds.ForEvent(orderId, sequence))])
            : new ConsumerProgress(ImmutableDictionary<Guid, DateTimeOffset>.Empty, 0, [], IsForgotten(conclusion)));

    /// <summary>
    /// Reacts to one event of an order, changing <paramref name="notes"/> (a copy: it is kept only if
    /// this returns). Runs again after a failure, so its effects must be idempotent.
    /// </summary>
    protected abstract Task HandleAsync(OrderEvent e, TNotes notes);

    /// <summary>
    /// Sends the effects <see cref="HandleAsync"/> deferred to the end of the batch (or of a retry or
    /// catch-up round), grouped: one call for many orders. Runs before the shard's progress is
    /// written; if it fails, that progress is not written and the activation goes (as after any
    /// failed call: <see cref="StaleStateRecovery"/>), so the events
    /// are handled again by a fresh one (the stream redelivers the batch; timers and the order's
    /// delivery check bring the rest). Deferred effects must therefore be idempotent too.
    /// </summary>
    protected virtual Task FlushAsync() => Task.CompletedTask;

    /// <summary>Reports this service's outcome, caused by <paramref name="cause"/>, to the order's journal.</summary>
    protected Task<OrderEvent> ReportAsync(OrderEvent outcome, OrderEvent cause) =>
        Journal(cause.OrderId).AppendAsync(outcome, cause.EventId);

    // Not async itself: an event nearly always goes straight to its handling, and every async
    // layer an event passes costs a state machine and a continuation on the grain's scheduler.
    private Task DeliverAsync(string orderId, List<OrderEvent> events) =>
        Record(orderId) is { } record ? Deliver(orderId, record, events)
        : MayBeForgotten(events) ? DeliverUnrecordedAsync(orderId, events)
        : Deliver(orderId, new(), events);

    private Task Deliver(string orderId, OrderProgress<TNotes> record, List<OrderEvent> events)
    {
        if (record.IsParked)
        {
            // Its later events wait behind the one that failed, in sequence.
            Put(orderId, record with { Waiting = [.. record.Waiting.Concat(events).DistinctBy(e => e.Sequence).OrderBy(e => e.Sequence)], LastSeenAt = Now });
            return Task.CompletedTask;
        }

        Put(orderId, record with { LastSeenAt = Now });
        return HandleInSequenceAsync(orderId, events);
    }

    /// <summary>
    /// Events of an order this consumer has no record of, older than the newest pruned conclusion:
    /// they may belong to an order it handled in full and forgot, which the journal tells.
    /// </summary>
    private async Task DeliverUnrecordedAsync(string orderId, List<OrderEvent> events)
    {
        if (IsForgotten((await Journal(orderId).GetEventsAsync()).LastOrDefault(EventStreams.IsConclusion)))
        {
            foreach (var e in events)
            {
                services.Metrics.Duplicate(ConsumerName, e.TypeName);
                LogForgotten(logger, ConsumerName, e.TypeName, e.Sequence, orderId);
            }

            return;
        }

        await Deliver(orderId, Record(orderId) ?? new(), events);
    }

    /// <summary>Handles the order's events in sequence; parks the order at the first that fails.</summary>
    private async Task HandleInSequenceAsync(string orderId, IEnumerable<OrderEvent> events)
    {
        var pending = events.ToImmutableArray();
        if (!IsInSequence(pending))
        {
            pending = pending.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        }

        for (var i = 0; i < pending.Length; i++)
        {
            var e = pending[i];
            if (Subscribes(e.StreamNamespace) && Record(orderId)!.IsHandled(e.Sequence))
            {
                CountDuplicate(e);
                continue;
            }

            if (await HandleInOrderAsync(e) is { } failure)
            {
                await ParkOrDeadLetterAsync(orderId, failure, pending[i..]);
                return;
            }
        }

        if (Record(orderId) is { Attempts: > 0 } recovered)
        {
            Put(orderId, recovered with { Attempts = 0, FailingSince = null });
        }
    }

    /// <summary>
    /// Handles an event after any earlier one this consumer subscribes to and has not handled (it
    /// travelled on another namespace's stream and has not arrived, it was dead-lettered, or it was
    /// lost with a silo): those are read from the journal and handled first, and arrive later as duplicates.
    /// </summary>
    private Task<Failure?> HandleInOrderAsync(OrderEvent e)
    {
        var record = Record(e.OrderId)!;
        HashSet<long>? missing = null;
        for (var i = 0; i < e.Preceding.Length; i++)
        {
            if (!record.IsHandled(i + 1) && Subscribes(e.Preceding[i]))
            {
                (missing ??= []).Add(i + 1);
            }
        }

        return missing is null ? HandleOneAsync(e) : HandleAfterEarlierAsync(e, missing);
    }

    private async Task<Failure?> HandleAfterEarlierAsync(OrderEvent e, HashSet<long> missing)
    {
        LogCatchUp(logger, ConsumerName, e.OrderId, missing.Count, e.Sequence);
        ImmutableArray<OrderEvent> journal;
        try
        {
            journal = await Journal(e.OrderId).GetEventsAsync();
        }
        catch (Exception ex)
        {
            return new Failure(e, ex); // the order's journal is out of reach: this order waits, the shard does not
        }

        foreach (var earlier in journal.Where(x => missing.Contains(x.Sequence)))
        {
            if (await HandleOneAsync(earlier) is { } failure)
            {
                return failure;
            }
        }

        return await HandleOneAsync(e);
    }

    private async Task<Failure?> HandleOneAsync(OrderEvent e)
    {
        if (!Subscribes(e.StreamNamespace))
        {
            // Bookkeeping only (the order's first or last event, which the concern does not handle).
            if (EventStreams.IsConclusion(e))
            {
                Conclude(e);
            }

            return null;
        }

        using var activity = MarketplaceTracing.StartProcess(ConsumerName, e);
        var started = Stopwatch.GetTimestamp();
        var notes = services.Copier.Copy(Record(e.OrderId)!.Notes)!;
        try
        {
            foreach (var filter in services.Filters)
            {
                await filter.OnHandlingAsync(ConsumerName, e);
            }

            await HandleAsync(e, notes);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return new Failure(e, ex);
        }

        Handled(e, notes);
        services.Metrics.Handled(ConsumerName, e.TypeName, Stopwatch.GetElapsedTime(started));
        return null;
    }

    /// <summary>Records the event as handled with the notes its handling left, closing its dead letter if it had one.</summary>
    private void Handled(OrderEvent e, TNotes notes)
    {
        var record = Record(e.OrderId)!;
        record = record with { Notes = notes, Handled = record.Handled.Add(new HandledEvent(e.Sequence, Now)) };
        if (record.DeadLettered.Contains(e.Sequence))
        {
            record = record with { DeadLettered = record.DeadLettered.Remove(e.Sequence) };
            lettersToClose.Add(DeadLetterGrain.IdOf(ConsumerName, e.EventId));
        }

        Put(e.OrderId, record);
        if (EventStreams.IsConclusion(e))
        {
            Conclude(e);
        }
    }

    /// <summary>
    /// Every earlier event this consumer subscribes to is handled: the record may go after the
    /// retention window, and the concern's notes are no longer needed (nothing follows a conclusion).
    /// </summary>
    private void Conclude(OrderEvent conclusion)
    {
        if (Record(conclusion.OrderId) is { ConcludedOn: null } record)
        {
            Put(conclusion.OrderId, record with { ConcludedOn = conclusion.StreamNamespace, ConcludedAt = conclusion.OccurredAt, Notes = new() });
            ConclusionsOn(conclusion.StreamNamespace).Enqueue(conclusion.OrderId, conclusion.OccurredAt);
        }
    }

    /// <summary>A transient failure within the budget parks the order for a retry; anything else is a dead letter.</summary>
    private async Task ParkOrDeadLetterAsync(string orderId, Failure failure, ImmutableArray<OrderEvent> waiting)
    {
        var record = Record(orderId)!;
        var now = Now;
        var attempts = record.Attempts + 1;
        var failingSince = record.FailingSince ?? now;
        if (Failures.IsTransient(failure.Error) && attempts <= retry.MaxRetryAttempts && now - failingSince < retry.Budget)
        {
            var due = now + retry.DelayBefore(attempts);
            Put(orderId, record with { Waiting = waiting, Attempts = attempts, FailingSince = failingSince, RetryAt = due });
            services.Metrics.Retried(ConsumerName);
            LogRetry(logger, failure.Error, ConsumerName, failure.Event.TypeName, failure.Event.Sequence, orderId, attempts);
            ArmRetry(due);
            return;
        }

        var letterId = await DeadLetterAsync(failure.Event, failure.Error.Message, attempts);
        foreach (var later in waiting.Where(e => e.Sequence != failure.Event.Sequence))
        {
            await DeadLetterAsync(later, $"Waits for {failure.Event.TypeName} #{failure.Event.Sequence}, which is dead-lettered ({letterId}).", 0);
        }

        Put(orderId, Record(orderId)! with { Waiting = [], Attempts = 0, FailingSince = null, RetryAt = null });
        LogDeadLettered(logger, failure.Error, ConsumerName, failure.Event.TypeName, failure.Event.Sequence, orderId, attempts, letterId, waiting.Length - 1);
    }

    private async Task<string> DeadLetterAsync(OrderEvent e, string error, int attempts)
    {
        var letter = new DeadLetter(DeadLetterGrain.IdOf(ConsumerName, e.EventId), ConsumerName, e.EventId, e.OrderId, e.TypeName, error, attempts, Now);
        await GrainFactory.GetGrain<IDeadLetterGrain>(letter.Id).RecordAsync(letter, e);
        var record = Record(e.OrderId)!;
        if (!record.DeadLettered.Contains(e.Sequence))
        {
            Put(e.OrderId, record with { DeadLettered = record.DeadLettered.Add(e.Sequence) });
        }

        services.Metrics.DeadLettered(ConsumerName, e.TypeName);
        return letter.Id;
    }

    private void ArmRetry(DateTimeOffset due)
    {
        if (retryDue is { } armed && armed <= due)
        {
            return;
        }

        retryDue = due;
        var wait = due - Now;
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        if (retryTimer is null)
        {
            retryTimer = this.RegisterGrainTimer(RetryParkedAsync, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan));
        }
        else
        {
            retryTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RetryParkedAsync(CancellationToken cancellationToken)
    {
        retryDue = null;
        var now = Now;
        var due = orders.Where(p => p.Value.RetryAt <= now).Select(p => p.Key).ToList();
        await Task.WhenAll(due.Select(orderId =>
        {
            var record = Record(orderId)!;
            // The budget is the order's own: time it waited past its retry behind the shard (a batch
            // stuck on a call to a dead silo) does not count.
            var late = now - record.RetryAt!.Value;
            Put(orderId, record with { Waiting = [], RetryAt = null, FailingSince = record.FailingSince + late });
            return HandleInSequenceAsync(orderId, record.Waiting);
        }));

        await CommitAsync();
        if (orders.Values.Select(r => r.RetryAt).Where(at => at is not null).Min() is { } next)
        {
            ArmRetry(next);
        }
    }

    /// <summary>
    /// An open order this consumer has heard nothing of for a while may have lost an event with a
    /// silo (memory streams): read what it lacks from the journal. Orders parked or dead-lettered
    /// wait for their retry or for an operator instead.
    /// </summary>
    private async Task CatchUpFromJournalsAsync(CancellationToken cancellationToken)
    {
        var quietSince = Now - services.Options.CatchUpAfter;
        var quiet = orders
            .Where(p => p.Value is { ConcludedOn: null, IsParked: false, DeadLettered.IsEmpty: true } r && r.LastSeenAt < quietSince)
            .Select(p => p.Key)
            .ToList();
        if (quiet.Count == 0)
        {
            return;
        }

        foreach (var orderId in quiet)
        {
            var record = Record(orderId)!;
            var lacking = (await Journal(orderId).GetEventsAsync())
                .Where(e => (Subscribes(e.StreamNamespace) && !record.IsHandled(e.Sequence)) || EventStreams.IsConclusion(e)).ToList();
            Put(orderId, Record(orderId)! with { LastSeenAt = Now });
            if (lacking.Count > 0)
            {
                LogCatchUpFromJournal(logger, ConsumerName, orderId, lacking.Count);
                await HandleInSequenceAsync(orderId, lacking);
            }
        }

        await CommitAsync();
    }

    /// <summary>Prunes what may go, then writes the shard's progress: one write for the whole batch.</summary>
    private async Task CommitAsync()
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var flushing = FlushAsync();
            var sending = !flushing.IsCompleted; // nothing deferred, nothing timed
            await flushing;
            if (sending)
            {
                services.Metrics.Flushed(ConsumerName, Stopwatch.GetElapsedTime(started));
            }
        }
        catch (Exception ex)
        {
            // Memory now holds events marked handled whose effects did not happen: the failure goes
            // up, and StaleStateRecovery discards this activation (deliveries and timer rounds alike).
            LogFlushFailed(logger, ex, ConsumerName, shardKey);
            throw;
        }

        Prune();
        Shard.Orders = orders.ToImmutable();
        await state.WriteStateAsync();
        if (lettersToClose.Count > 0)
        {
            var closing = lettersToClose.ToList();
            lettersToClose.Clear();
            await Task.WhenAll(closing.Select(id => GrainFactory.GetGrain<IDeadLetterGrain>(id).CloseAsync()));
        }
    }

    /// <summary>See <see cref="ConsumerOptions.Retention"/>: a concluded order's record goes once its stream has moved on far enough.</summary>
    private void Prune()
    {
        var retention = services.Options.Retention;
        foreach (var (stream, conclusions) in concluded)
        {
            if (!Shard.Clocks.TryGetValue(stream, out var clock))
            {
                continue;
            }

            while (conclusions.TryPeek(out var orderId, out var at) && clock - at >= retention)
            {
                conclusions.Dequeue();
                if (Record(orderId) is { ConcludedOn: { } on, IsParked: false, DeadLettered.IsEmpty: true } record && on == stream && record.ConcludedAt == at)
                {
                    orders.Remove(orderId);
                    if (!Shard.ForgottenThrough.TryGetValue(stream, out var through) || through < at)
                    {
                        Shard.ForgottenThrough = Shard.ForgottenThrough.SetItem(stream, at);
                    }
                }
            }
        }
    }

    private void AdvanceClock(OrderEvent conclusion)
    {
        if (!Shard.Clocks.TryGetValue(conclusion.StreamNamespace, out var clock) || clock < conclusion.OccurredAt)
        {
            Shard.Clocks = Shard.Clocks.SetItem(conclusion.StreamNamespace, conclusion.OccurredAt);
        }
    }

    /// <summary>
    /// Only events older than the newest pruned conclusion can belong to an order handled in full
    /// and forgotten; newer ones without a record are a new order's.
    /// </summary>
    private bool MayBeForgotten(List<OrderEvent> events) =>
        !Shard.ForgottenThrough.IsEmpty && events.Min(e => e.OccurredAt) <= LatestForgotten();

    private DateTimeOffset LatestForgotten()
    {
        var latest = DateTimeOffset.MinValue;
        foreach (var (_, at) in Shard.ForgottenThrough)
        {
            latest = at > latest ? at : latest;
        }

        return latest;
    }

    private static bool IsInSequence(ImmutableArray<OrderEvent> events)
    {
        for (var i = 1; i < events.Length; i++)
        {
            if (events[i - 1].Sequence > events[i].Sequence)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsForgotten(OrderEvent? conclusion) =>
        conclusion is not null && Record(conclusion.OrderId) is null
        && Shard.ForgottenThrough.TryGetValue(conclusion.StreamNamespace, out var through) && conclusion.OccurredAt <= through;

    private void CountDuplicate(OrderEvent e)
    {
        Put(e.OrderId, Record(e.OrderId)! with { DuplicatesIgnored = Record(e.OrderId)!.DuplicatesIgnored + 1 });
        services.Metrics.Duplicate(ConsumerName, e.TypeName);
        LogDuplicate(logger, ConsumerName, e.TypeName, e.Sequence, e.OrderId);
    }

    private bool Subscribes(string streamNamespace)
    {
        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(subscribes, streamNamespace, out var exists);
        if (!exists)
        {
            known = descriptor.Handles(streamNamespace);
        }

        return known;
    }

    private PriorityQueue<string, DateTimeOffset> ConclusionsOn(string stream) =>
        CollectionsMarshal.GetValueRefOrAddDefault(concluded, stream, out _) ??= new();

    private OrderProgress<TNotes>? Record(string orderId) => orders.GetValueOrDefault(orderId);

    private void Put(string orderId, OrderProgress<TNotes> record) => orders[orderId] = record;

    private IOrderGrain Journal(string orderId) => GrainFactory.GetGrain<IOrderGrain>(orderId);

    private sealed record Failure(OrderEvent Event, Exception Error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Consumer}: {EventType} #{Sequence} of order {OrderId} already handled; ignored")]
    private static partial void LogDuplicate(ILogger logger, string consumer, string eventType, long sequence, string orderId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Consumer}: {EventType} #{Sequence} of order {OrderId}: the order concluded and was handled in full before; ignored")]
    private static partial void LogForgotten(ILogger logger, string consumer, string eventType, long sequence, string orderId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Consumer}: order {OrderId} has {Missing} earlier event(s) not yet delivered before {Sequence}; reading them from the journal")]
    private static partial void LogCatchUp(ILogger logger, string consumer, string orderId, int missing, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Consumer}: order {OrderId} was quiet; {Lacking} event(s) read from its journal")]
    private static partial void LogCatchUpFromJournal(ILogger logger, string consumer, string orderId, int lacking);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Consumer}: {EventType} #{Sequence} of order {OrderId} failed transiently; retry {Attempt} from a timer")]
    private static partial void LogRetry(ILogger logger, Exception ex, string consumer, string eventType, long sequence, string orderId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Consumer}: {EventType} #{Sequence} of order {OrderId} failed after {Attempts} attempt(s); dead letter {DeadLetterId} (and {Waiting} later event(s) of the order)")]
    private static partial void LogDeadLettered(ILogger logger, Exception ex, string consumer, string eventType, long sequence, string orderId, int attempts, string deadLetterId, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: the batch's grouped effects failed on shard {Shard}; its events are handled again by a fresh activation")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex, string consumer, string shard);

}
