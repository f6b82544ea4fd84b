using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Loyalty;

/// <summary>Awards points for fulfilled orders; cancelled orders earn nothing.</summary>
[GrainType("loyalty")]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
public sealed class LoyaltyConsumer(
    [PersistentState("loyalty-consumer", Storage.Name)] IPersistentState<ConsumerState<NoNotes>> state,
    ConsumerServices services)
    : OrderEventConsumer<NoNotes>(state, services)
{
    protected override Task HandleAsync(OrderEvent e, NoNotes notes) => e is OrderFulfilled fulfilled
        ? GrainFactory.GetGrain<ICustomerLoyaltyGrain>(fulfilled.CustomerId).AwardAsync(e.OrderId, fulfilled.Total)
        : Task.CompletedTask;
}
