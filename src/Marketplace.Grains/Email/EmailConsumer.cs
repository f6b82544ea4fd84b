using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Email;

/// <summary>Tells the customer their order was received, then that it shipped or was cancelled.</summary>
[GrainType("email")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public sealed class EmailConsumer(
    [PersistentState("email-consumer", Storage.Name)] IPersistentState<ConsumerState<NoNotes>> state,
    ConsumerServices services)
    : OrderEventConsumer<NoNotes>(state, services)
{
    // Events are handled in sequence, so "received" always goes out before "shipped" or "cancelled".
    protected override Task HandleAsync(OrderEvent e, NoNotes notes) => e switch
    {
        OrderPlaced p => Send(p.CustomerId, e, NotificationKinds.OrderReceived, MailSubjects.Received(e.OrderId)),
        OrderFulfilled f => Send(f.CustomerId, e, NotificationKinds.OrderShipped, MailSubjects.Shipped(e.OrderId, f.TrackingNumber)),
        OrderCancelled c => Send(c.CustomerId, e, NotificationKinds.OrderCancelled, MailSubjects.Cancelled(e.OrderId, c.Reason)),
        _ => Task.CompletedTask,
    };

    private Task<Notification> Send(string customerId, OrderEvent e, string kind, string subject) =>
        GrainFactory.GetGrain<IMailboxGrain>(customerId).SendAsync(e.OrderId, kind, subject);
}
