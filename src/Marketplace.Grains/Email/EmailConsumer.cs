using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Email;

/// <summary>Tells the customer their order was received, then that it shipped or was cancelled.</summary>
[GrainType("email")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public sealed class EmailConsumer(
    [PersistentState("email-consumer", Storage.Name)] IPersistentState<ConsumerState<NoSaga>> state)
    : OrderEventConsumer<NoSaga>(state)
{
    protected override Task HandleAsync(OrderEvent e) => e switch
    {
        OrderPlaced p => Send(p.CustomerId, NotificationKinds.OrderReceived, $"We received your order {OrderId}"),
        OrderFulfilled f => Send(f.CustomerId, NotificationKinds.OrderShipped, $"Your order {OrderId} is on its way ({f.TrackingNumber})"),
        OrderCancelled c => Send(c.CustomerId, NotificationKinds.OrderCancelled, $"Your order {OrderId} was cancelled ({c.Reason})"),
        _ => Task.CompletedTask,
    };

    private Task<Notification> Send(string customerId, string kind, string subject) =>
        GrainFactory.GetGrain<IMailboxGrain>(customerId).SendAsync(OrderId, kind, subject);
}
