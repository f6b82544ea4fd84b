using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Reporting;

/// <summary>
/// Keeps the sales report: orders by outcome, and revenue and units of fulfilled orders. A batch's
/// outcomes are counted together at its end, one call per report shard they fall in: an event
/// shard's orders fall in an eighth of the report shards (both are the same hash of the order id),
/// so a batch makes a few calls however many orders it carries.
/// </summary>
[GrainType("reporting")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public sealed class ReportingConsumer(
    [PersistentState("reporting-consumer", Storage.Name)] IPersistentState<ConsumerState<NoNotes>> state,
    ConsumerServices services)
    : OrderEventConsumer<NoNotes>(state, services)
{
    private readonly List<OrderEvent> outcomes = [];

    // Only the three outcomes arrive (the subscriptions above); the report counts each by its type.
    protected override Task HandleAsync(OrderEvent e, NoNotes notes)
    {
        outcomes.Add(e);
        return Task.CompletedTask;
    }

    protected override Task FlushAsync()
    {
        if (outcomes.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Each order in its own report shard, as every writer keeps it: its repeats meet its first count there.
        var byShard = outcomes.GroupBy(e => SalesReports.ShardOf(e.OrderId)).ToList();
        outcomes.Clear();
        return Task.WhenAll(byShard.Select(shard => GrainFactory.GetGrain<ISalesReportGrain>(shard.Key).RecordAsync([.. shard])));
    }
}
