using Marketplace.Grains;
using Marketplace.Grains.Consumers;
using Marketplace.Grains.Email;
using Marketplace.Grains.Orders;
using Microsoft.Extensions.Options;

namespace Marketplace.LoadTest.Direct;

/// <summary>
/// The same saga as the event-driven path, with the same entity grains, storage and journal shape,
/// but orchestrated by calls: payment and stock in parallel, then shipment, stock commit, the
/// outcome, and the loyalty, report and email effects. What it lacks is what the events buy:
/// independent services, a producer that knows none of them, and per-consumer retries.
/// </summary>
[GrainType("direct-order")]
public sealed class DirectOrderGrain(
    [PersistentState("direct-order", Storage.Name)] IPersistentState<OrderState> state,
    TimeProvider clock,
    IOptionsMonitor<ConsumerRetryOptions> retries) : Grain, IDirectOrderGrain
{
    private string OrderId => this.GetPrimaryKeyString();

    private List<OrderEvent> Events => state.State.Events;

    public Task<OrderSnapshot?> GetAsync() => Task.FromResult(OrderRules.Project(OrderId, Events));

    public async Task<PlaceOrderResult> PlaceAsync(PlaceOrder command)
    {
        if (Events.Count > 0)
        {
            return new PlaceOrderResult(PlaceOrderOutcome.AlreadyPlaced, await GetAsync(), []);
        }

        var (placed, unknown) = await Checkout.PriceAsync(GrainFactory, command);
        if (placed is null)
        {
            return new PlaceOrderResult(PlaceOrderOutcome.UnknownSkus, null, unknown);
        }

        var lines = placed.Items;
        await GrainFactory.GetGrain<ICustomerOrdersGrain>(command.CustomerId).AddAsync(OrderId);
        Record(placed);
        await state.WriteStateAsync();

        var report = GrainFactory.ForOrder(OrderId);
        await Task.WhenAll(report.RecordPlacedAsync(OrderId), NotifyAsync(placed.CustomerId, NotificationKinds.OrderReceived, MailSubjects.Received(OrderId)));

        var paying = CaptureAsync(placed);
        var holding = Task.WhenAll(lines.Select(l => Product(l.Sku).ReserveAsync(OrderId, l.Quantity)));
        var (payment, held) = (await paying, await holding);
        var outcome = await ConcludeAsync(placed, payment, held);
        await state.WriteStateAsync();

        var customer = placed.CustomerId;
        await (outcome switch
        {
            OrderFulfilled fulfilled => Task.WhenAll(
                GrainFactory.GetGrain<ICustomerLoyaltyGrain>(customer).AwardAsync(OrderId, fulfilled.Total),
                report.RecordFulfilledAsync(OrderId, fulfilled.Items),
                NotifyAsync(customer, NotificationKinds.OrderShipped, MailSubjects.Shipped(OrderId, fulfilled.TrackingNumber))),
            OrderCancelled cancelled => Task.WhenAll(
                report.RecordCancelledAsync(OrderId),
                NotifyAsync(customer, NotificationKinds.OrderCancelled, MailSubjects.Cancelled(OrderId, cancelled.Reason))),
            _ => Task.CompletedTask,
        });
        return new PlaceOrderResult(PlaceOrderOutcome.Placed, await GetAsync(), []);
    }

    /// <summary>
    /// Compensates what the failed half did and records the facts as the consumers would report
    /// them; the order's rules (<see cref="OrderRules.Conclude"/>) then say how it ends.
    /// </summary>
    private async Task<OrderEvent> ConcludeAsync(OrderPlaced placed, PaymentSnapshot payment, bool[] held)
    {
        var allHeld = !held.Contains(false);
        if (!allHeld)
        {
            await ReleaseAllAsync(placed); // all or nothing, as inventory holds stock
            Record(new StockUnavailable([.. placed.Items.Where((_, i) => !held[i]).Select(l => l.Sku)]));
        }

        if (payment.Status == PaymentStatus.Declined)
        {
            Record(new PaymentDeclined(payment.DeclineReason!, payment.Attempts));
            if (allHeld)
            {
                await ReleaseAllAsync(placed);
                Record(new StockReleased());
            }
        }
        else if (!allHeld)
        {
            Record(new PaymentCaptured(payment.Amount, payment.Attempts));
            Record(new PaymentRefunded((await Payment.RefundAsync())!.Amount));
        }
        else
        {
            Record(new PaymentCaptured(payment.Amount, payment.Attempts));
            Record(new StockReserved());
            var shipment = await GrainFactory.GetGrain<IShipmentGrain>(OrderId).ScheduleAsync(placed.ShippingAddress);
            Record(new ShipmentScheduled(shipment.TrackingNumber));
            await Task.WhenAll(placed.Items.Select(l => Product(l.Sku).CommitAsync(OrderId)));
            Record(new StockCommitted());
        }

        return Record(OrderRules.Conclude(Events) ?? throw new InvalidOperationException($"Order {OrderId}: the facts recorded conclude nothing."));
    }

    /// <summary>The gateway fails transiently at times: retried as the payment consumer retries (its options, its budget).</summary>
    private async Task<PaymentSnapshot> CaptureAsync(OrderPlaced placed)
    {
        var retry = retries.Get("payment");
        var failingSince = clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Payment.CaptureAsync(placed.Total, placed.PaymentToken);
            }
            catch (Exception ex) when (Failures.IsTransient(ex) && attempt <= retry.MaxRetryAttempts && clock.GetUtcNow() - failingSince < retry.Budget)
            {
                await Task.Delay(retry.DelayBefore(attempt));
            }
        }
    }

    private Task ReleaseAllAsync(OrderPlaced placed) => Task.WhenAll(placed.Items.Select(l => Product(l.Sku).ReleaseAsync(OrderId)));

    private Task<Notification> NotifyAsync(string customerId, string kind, string subject) =>
        GrainFactory.GetGrain<IMailboxGrain>(customerId).SendAsync(OrderId, kind, subject);

    private IPaymentGrain Payment => GrainFactory.GetGrain<IPaymentGrain>(OrderId);

    private IProductGrain Product(string sku) => GrainFactory.GetGrain<IProductGrain>(sku);

    private OrderEvent Record(OrderEvent e) => OrderJournal.Append(Events, OrderId, e, Events.Count == 0 ? null : Events[0].EventId, clock.GetUtcNow());
}
