using System.Security.Cryptography;
using System.Text.Json;
using Marketplace.Grains.Consumers;
using Microsoft.Extensions.Options;

namespace Marketplace.Grains.Orders;

[GrainType("order")]
public sealed partial class OrderGrain(
    [PersistentState("order", Storage.Name)] IPersistentState<OrderState> state,
    TimeProvider clock,
    IOptions<OrderOptions> options,
    OrderTimeline timeline,
    ConsumerCatalog consumers,
    EventPublisher publisher,
    IClusterMembershipService membership,
    MarketplaceMetrics metrics,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain, IRemindable
{
    private static readonly TimeSpan PublishRetryPeriod = TimeSpan.FromSeconds(2);

    /// <summary>The durable wake-up of an order not yet delivered: while it lives, the order finishes on its own.</summary>
    private const string WakeUp = "wake-up";

    private static readonly TimeSpan WakeUpPeriod = TimeSpan.FromMinutes(1);

    private IGrainReminder? wakeUp;

    private long persistedPublishedSequence;
    private bool persistedDelivered;
    private MembershipVersion membershipAtStart;
    private bool placedHere;
    private IGrainTimer? publishRetry;
    private IGrainTimer? deliveryCheck;
    private DateTimeOffset lastRepublished;
    private int republished;
    private long reportedPending;
    private TaskCompletionSource journalGrew = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // How many events of the journal are written. A live view interleaves with appends, and must
    // never show an event whose write is still under way (a failed write then loses it).
    private int stored;

    private string? orderId;

    private string OrderId => orderId ??= this.GetPrimaryKeyString(); // decoded from the grain id on every call otherwise

    private List<OrderEvent> Events => state.State.Events;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        membershipAtStart = membership.CurrentSnapshot.Version;
        Loaded();

        // The outbox: events an earlier activation wrote but may not have published (the cursor is
        // saved lazily, so some may go out twice; consumers ignore what they had).
        ReportOutbox();
        await PublishPendingAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The publish cursor and the delivered mark are persisted lazily; saving them here spares the
        // next activation a republish and a delivery check. Not after a failure (this activation's
        // state is then not to be trusted), nor at shutdown, which should be quick (a republish is
        // harmless: consumers skip duplicates).
        if ((state.State.PublishedSequence != persistedPublishedSequence || state.State.Delivered != persistedDelivered) && state.RecordExists
            && reason.ReasonCode is not (DeactivationReasonCode.ApplicationError or DeactivationReasonCode.ShuttingDown))
        {
            await WriteAsync(cancellationToken);
        }

        ReportOutbox(leaving: true); // the next activation counts what is left
    }

    public async Task<PlaceOrderResult> PlaceAsync(PlaceOrder command)
    {
        // The HTTP API validates every rule with field errors; this guards the grain's own invariants.
        ArgumentException.ThrowIfNullOrWhiteSpace(command.CustomerId);
        if (command.Items.IsDefaultOrEmpty || command.Items.Any(i => i.Quantity <= 0) || command.Items.DistinctBy(i => i.Sku).Count() != command.Items.Length)
        {
            throw new ArgumentException("An order needs at least one line, positive quantities and each sku once.", nameof(command));
        }

        var fingerprint = Fingerprint(command);
        if (state.State.RequestFingerprint is { } existing)
        {
            return existing == fingerprint
                ? new PlaceOrderResult(PlaceOrderOutcome.AlreadyPlaced, Snapshot(), [])
                : new PlaceOrderResult(PlaceOrderOutcome.Conflict, null, []);
        }

        var (placed, unknown) = await Checkout.PriceAsync(GrainFactory, command);
        if (placed is null)
        {
            return new PlaceOrderResult(PlaceOrderOutcome.UnknownSkus, null, unknown);
        }

        // Index and wake-up first, together: the list skips ids whose order does not exist, and a
        // wake-up of no order removes itself, so a failed write leaves no trace; once the write is
        // done, a silo dying before the publish leaves the order to its wake-up, not to a reader.
        var wakeUpRegistered = this.RegisterOrUpdateReminder(WakeUp, options.Value.WakeAfter, WakeUpPeriod);
        await Task.WhenAll(GrainFactory.GetGrain<ICustomerOrdersGrain>(command.CustomerId).AddAsync(OrderId), wakeUpRegistered);
        wakeUp = await wakeUpRegistered;

        state.State.RequestFingerprint = fingerprint;
        placedHere = true;
        Record(placed, causationId: null);
        await WriteAsync();
        JournalGrew();
        metrics.Placed();
        LogPlaced(OrderId, command.CustomerId, placed.Total);

        await PublishPendingAsync();
        WatchDelivery();
        return new PlaceOrderResult(PlaceOrderOutcome.Placed, Snapshot(), []);
    }

    public Task<OrderSnapshot?> GetAsync() => Task.FromResult(Snapshot());

    public Task<ImmutableArray<OrderEvent>> GetEventsAsync() => Task.FromResult(Events.ToImmutableArray());

    public async Task<ImmutableArray<OrderEvent>> WaitForEventsAsync(int afterSequence, TimeSpan maxWait)
    {
        if (stored <= afterSequence)
        {
            await Task.WhenAny(journalGrew.Task, Task.Delay(maxWait));
        }

        return [.. Events.Take(stored).Skip(afterSequence)];
    }

    /// <summary>Wakes every live view waiting on this order: its journal has new events on record.</summary>
    private void JournalGrew()
    {
        var grew = journalGrew;
        journalGrew = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        grew.TrySetResult();
    }

    /// <summary>Takes up the state as read from storage.</summary>
    private void Loaded()
    {
        persistedPublishedSequence = state.State.PublishedSequence;
        persistedDelivered = state.State.Delivered;
        stored = Events.Count;
        if (Events.Count > 0 && !state.State.Delivered)
        {
            WatchDelivery(); // a concluded order read later has nothing to check
        }
    }

    /// <summary>
    /// Whether the order was placed. For a moment after a silo is lost an order can have two
    /// activations, and this one may have read before the other placed the order: an activation
    /// that found nothing reads again before it says so.
    /// </summary>
    private async Task<bool> ExistsAsync()
    {
        if (Events.Count == 0)
        {
            await state.ReadStateAsync();
            Loaded();
        }

        return Events.Count > 0;
    }

    public async Task<OrderEvent> AppendAsync(OrderEvent outcome, Guid causationId)
    {
        if (!await ExistsAsync())
        {
            throw new InvalidOperationException($"Order {OrderId} does not exist; no outcome can be recorded for it.");
        }

        // Each fact happens once per order; a repeat (or a contradiction) gets what was recorded.
        if (RecordedInstead(outcome) is { } recorded)
        {
            if (recorded.GetType() != outcome.GetType())
            {
                LogContradiction(OrderId, outcome.TypeName, recorded.TypeName);
            }

            return recorded;
        }

        var stamped = Record(outcome, causationId);
        var concluded = OrderRules.Conclude(Events) is { } terminal ? Record(terminal, stamped.EventId) : null;
        await WriteAsync();
        JournalGrew();
        if (concluded is not null && Snapshot() is { } order)
        {
            metrics.Concluded(order.Status.ToString(), order.CancellationReason, concluded.OccurredAt - Events[0].OccurredAt);
        }

        await PublishPendingAsync();
        republished = 0; // the story moved on: a fresh delivery check
        if (concluded is not null && NothingCanBeLost && state.State.PublishedSequence == Events.Count)
        {
            state.State.Delivered = true;
            StopWatchingDelivery();
            await ForgetWakeUpAsync();
            DeactivateOnIdle(); // done: reads are rare from here on, and an activation is memory
        }
        else
        {
            WatchDelivery();
        }

        return stamped;
    }

    private OrderEvent? RecordedInstead(OrderEvent outcome)
    {
        foreach (var e in Events)
        {
            if (e.GetType() == outcome.GetType() || OrderRules.Contradicts(e, outcome))
            {
                return e;
            }
        }

        return null;
    }

    private OrderSnapshot? Snapshot() => OrderRules.Project(OrderId, Events);

    private bool IsConcluded => Events.Any(EventStreams.IsConclusion);

    /// <summary>
    /// True when this activation published the whole story and no silo came or went meanwhile: no
    /// stream queue was lost, so every event reached its consumers' shards (a consumer that
    /// failed parks, retries and dead-letters on its own), and there is nothing to check.
    /// </summary>
    private bool NothingCanBeLost => placedHere && membership.CurrentSnapshot.Version == membershipAtStart;

    /// <summary>
    /// The delivery check: once the order has been quiet for <see cref="OrderOptions.RepublishAfter"/>,
    /// ask its consumers what they have handled, and deliver every event one of them still lacks to
    /// that consumer alone (a transport lost it, say with a silo). A few times, each wait twice the
    /// one before, then an error in the log; a consumer that keeps failing is for the dead letters.
    /// Stops once the order is concluded and every consumer has handled every event, or at once on
    /// conclusion when nothing can have been lost.
    /// </summary>
    private void WatchDelivery() => deliveryCheck ??= this.RegisterGrainTimer(
        _ => CheckDeliveryAsync(),
        new GrainTimerCreationOptions(options.Value.RepublishAfter, options.Value.RepublishAfter));

    private async Task CheckDeliveryAsync()
    {
        var quietSince = Events[^1].OccurredAt > lastRepublished ? Events[^1].OccurredAt : lastRepublished;
        if (clock.GetUtcNow() - quietSince < options.Value.RepublishAfter * (1 << republished))
        {
            return;
        }

        var undelivered = (await timeline.BuildAsync(OrderId, Events)).Where(e => !e.Pending.IsEmpty).ToList();
        var gaveUp = undelivered.Count > 0 && republished >= options.Value.MaxRepublishes;
        if (gaveUp)
        {
            LogUndelivered(OrderId, string.Join("; ", undelivered.Select(e => $"{e.Type} to {string.Join(", ", e.Pending)}")));
            foreach (var consumer in undelivered.SelectMany(e => e.Pending).Distinct())
            {
                metrics.Undelivered(consumer);
            }
        }

        if (gaveUp || (undelivered.Count == 0 && IsConcluded))
        {
            state.State.Delivered = !gaveUp;
            StopWatchingDelivery();
            if (!gaveUp)
            {
                await ForgetWakeUpAsync();
            }

            return;
        }

        if (undelivered.Count > 0)
        {
            republished++;
            lastRepublished = clock.GetUtcNow();
            LogRedelivering(OrderId, undelivered.Count, republished);
            foreach (var entry in undelivered)
            {
                foreach (var consumer in entry.Pending)
                {
                    try
                    {
                        await timeline.ConsumerOf(consumers.Named(consumer), OrderId).RedeliverAsync(Events[(int)entry.Sequence - 1]);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The consumer is still failing: the next round tries again, and the last one says so.
                        LogRedeliveryFailed(ex, OrderId, entry.Type, consumer);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The reminder's tick. Being called activated the order, and activation does the work: it
    /// publishes what is unpublished and starts the delivery check. Once delivered (or never
    /// placed: a write that failed after the wake-up was registered) the wake-up goes.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!await ExistsAsync() || state.State.Delivered)
        {
            await ForgetWakeUpAsync();
        }
    }

    private async Task ForgetWakeUpAsync()
    {
        if ((wakeUp ?? await this.GetReminder(WakeUp)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        wakeUp = null;
    }

    private void StopWatchingDelivery()
    {
        deliveryCheck?.Dispose();
        deliveryCheck = null;
    }

    private async Task WriteAsync(CancellationToken cancellationToken = default)
    {
        await state.WriteStateAsync(cancellationToken);
        persistedPublishedSequence = state.State.PublishedSequence;
        persistedDelivered = state.State.Delivered;
        stored = Events.Count;
        ReportOutbox();
    }

    /// <summary>Keeps the outbox gauge at what this activation holds stored and unpublished.</summary>
    private void ReportOutbox(bool leaving = false)
    {
        var pending = leaving ? 0 : Events.Count - state.State.PublishedSequence;
        metrics.Outbox(pending - reportedPending);
        reportedPending = pending;
    }

    private OrderEvent Record(OrderEvent e, Guid? causationId) => OrderJournal.Append(Events, OrderId, e, causationId, clock.GetUtcNow());

    /// <summary>Publishes the outbox in order. On failure a timer keeps trying while the grain is active.</summary>
    private async Task PublishPendingAsync()
    {
        try
        {
            foreach (var e in Events.Where(e => e.Sequence > state.State.PublishedSequence))
            {
                await PublishAsync(e);
                state.State.PublishedSequence = e.Sequence;
                ReportOutbox();
            }

            publishRetry?.Dispose();
            publishRetry = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(ex, OrderId, Events.Count - state.State.PublishedSequence);
            publishRetry ??= this.RegisterGrainTimer(
                _ => PublishPendingAsync(),
                new GrainTimerCreationOptions(PublishRetryPeriod, PublishRetryPeriod) { KeepAlive = true });
        }
    }

    private Task PublishAsync(OrderEvent e) => publisher.PublishAsync(e);

    private static string Fingerprint(PlaceOrder command) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(command)));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} placed by {CustomerId}, total {Total}")]
    private partial void LogPlaced(string orderId, string customerId, decimal total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: {Count} event(s) not handled by every consumer; delivering them again to those that lack them ({Time})")]
    private partial void LogRedelivering(string orderId, int count, int time);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: delivering {EventType} to {Consumer} again failed")]
    private partial void LogRedeliveryFailed(Exception ex, string orderId, string eventType, string consumer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: still not handled after delivering again: {Undelivered}")]
    private partial void LogUndelivered(string orderId, string undelivered);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: {Reported} contradicts {Recorded}, recorded first; ignored")]
    private partial void LogContradiction(string orderId, string reported, string recorded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: publishing {Pending} event(s) failed; retrying")]
    private partial void LogPublishFailed(Exception ex, string orderId, long pending);
}
