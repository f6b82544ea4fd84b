
namespace Marketplace.Tests.EventHubs;

/// <summary>
/// Each consumer handles the events it subscribes to in the order's sequence, across namespaces.
/// Streams keep order only within a stream (on Event Hubs one order's events even share a
/// partition, yet a new stream's first event can overtake another's); a consumer that receives an
/// event ahead of an earlier one it subscribes to reads that one from the journal first.
/// </summary>
public abstract class EventOrderingTests<TFixture>(TFixture fixture) where TFixture : ClusterFixture
{
    [Fact]
    public async Task Each_consumer_handles_an_orders_events_in_sequence_order()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 1m, 8);
        string[] tokens = [PaymentTokens.Visa, PaymentTokens.ChargeDeclined, PaymentTokens.ProcessingError, PaymentTokens.Mastercard];
        var placed = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => shop.PlaceAsync(Shop.NewId("cust"), tokens[i % tokens.Length], (sku, 1))));
        await Task.WhenAll(placed.Select(o => shop.SettledAsync(o.OrderId)));

        var checkedPairs = 0;
        foreach (var order in placed)
        {
            var sequenceOf = (await shop.Grains.GetGrain<IOrderGrain>(order.OrderId).GetEventsAsync()).ToDictionary(e => e.EventId, e => e.Sequence);
            foreach (var (consumer, progress) in await shop.ProgressAsync(order.OrderId))
            {
                var inHandlingOrder = progress.Handled.OrderBy(h => h.Value).Select(h => sequenceOf[h.Key]).ToList();
                Assert.True(inHandlingOrder.SequenceEqual(inHandlingOrder.Order()),
                    $"{consumer.Name} handled order {order.OrderId}'s events in the order {string.Join(", ", inHandlingOrder)}");
                checkedPairs += Math.Max(0, inHandlingOrder.Count - 1);
            }
        }

        Assert.True(checkedPairs > placed.Length * 5, $"only {checkedPairs} consecutive pairs were compared");
    }
}

public sealed class EventOrderingOnEventHubsTests(EventHubClusterFixture fixture)
    : EventOrderingTests<EventHubClusterFixture>(fixture), IClassFixture<EventHubClusterFixture>;

public sealed class EventOrderingInMemoryTests(ClusterFixture fixture)
    : EventOrderingTests<ClusterFixture>(fixture), IClassFixture<ClusterFixture>;
