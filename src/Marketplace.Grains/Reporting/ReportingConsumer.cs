using System.Globalization;
using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Reporting;

/// <summary>
/// Keeps the sales report: orders by outcome, and revenue and units of fulfilled orders. A batch's
/// outcomes are counted together at its end, in one call: every order of this event shard is
/// counted in the same report shard, so a repeat meets its first count there.
/// </summary>
[GrainType("reporting")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public sealed class ReportingConsumer(
    [PersistentState("reporting-consumer", Storage.Name)] IPersistentState<ConsumerState<NoSaga>> state)
    : OrderEventConsumer<NoSaga>(state)
{
    private readonly List<OrderEvent> outcomes = [];

    protected override Task HandleAsync(OrderEvent e, NoSaga saga)
    {
        if (e is OrderPlaced or OrderFulfilled or OrderCancelled)
        {
            outcomes.Add(e);
        }

        return Task.CompletedTask;
    }

    protected override Task FlushAsync()
    {
        if (outcomes.Count == 0)
        {
            return Task.CompletedTask;
        }

        var batch = outcomes.ToImmutableArray();
        outcomes.Clear();
        return GrainFactory.GetGrain<ISalesReportGrain>(ReportShard).RecordAsync(batch);
    }

    // The event shard's key is its index, fixed while the shard count is (EventShards).
    private int ReportShard => int.Parse(this.GetPrimaryKeyString(), CultureInfo.InvariantCulture) % SalesReports.Shards;
}
