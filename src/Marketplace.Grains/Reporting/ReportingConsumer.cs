using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Reporting;

/// <summary>Keeps the sales report: orders by outcome, and revenue and units of fulfilled orders.</summary>
[GrainType("reporting")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public sealed class ReportingConsumer(
    [PersistentState("reporting-consumer", Storage.Name)] IPersistentState<ConsumerState<NoSaga>> state)
    : OrderEventConsumer<NoSaga>(state)
{
    protected override Task HandleAsync(OrderEvent e, NoSaga saga) => e switch
    {
        OrderPlaced => GrainFactory.ForOrder(e.OrderId).RecordPlacedAsync(e.OrderId),
        OrderFulfilled fulfilled => GrainFactory.ForOrder(e.OrderId).RecordFulfilledAsync(e.OrderId, fulfilled.Items),
        OrderCancelled => GrainFactory.ForOrder(e.OrderId).RecordCancelledAsync(e.OrderId),
        _ => Task.CompletedTask,
    };
}
