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
    protected override async Task HandleAsync(OrderEvent e)
    {
        switch (e)
        {
            case OrderPlaced p:
                await SendReceivedAsync(p.CustomerId);
                break;
            case OrderFulfilled f:
                // Streams order events per stream only: never tell "shipped" before "received".
                await SendReceivedAsync(f.CustomerId);
                await Send(f.CustomerId, NotificationKinds.OrderShipped, $"Your order {OrderId} is on its way ({f.TrackingNumber})");
                break;
            case OrderCancelled c:
                await SendReceivedAsync(c.CustomerId);
                await Send(c.CustomerId, NotificationKinds.OrderCancelled, $"Your order {OrderId} was cancelled ({c.Reason})");
                break;
        }
    }

    private Task<Notification> SendReceivedAsync(string customerId) =>
        Send(customerId, NotificationKinds.OrderReceived, $"We received your order {OrderId}");

    private Task<Notification> Send(string customerId, string kind, string subject) =>
        GrainFactory.GetGrain<IMailboxGrain>(customerId).SendAsync(OrderId, kind, subject);
}
