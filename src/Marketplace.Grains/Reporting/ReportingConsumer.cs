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
    private ISalesReportGrain Report => GrainFactory.ForOrder(OrderId);

    protected override Task HandleAsync(OrderEvent e) => e switch
    {
        OrderPlaced => Report.RecordPlacedAsync(OrderId),
        OrderFulfilled fulfilled => Report.RecordFulfilledAsync(OrderId, fulfilled.Items),
        OrderCancelled => Report.RecordCancelledAsync(OrderId),
        _ => Task.CompletedTask,
    };
}
