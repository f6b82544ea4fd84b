using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Marketplace.Grains;
using Marketplace.LoadTest.Running;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Tests.Telemetry;

/// <summary>The marketplace's own instruments, read as an exporter would (a <see cref="MeterListener"/>), on the real host.</summary>
public sealed class MetricsTests(HostFixture host) : IClassFixture<HostFixture>, IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)> measurements = new();
    private MeterListener? listener;

    [Fact]
    public async Task A_fulfilled_order_records_its_placement_duration_handling_times_and_an_emptied_outbox()
    {
        Listen();
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 12.5m, 3);
        var orderId = await host.PlaceOrderAsync(Shop.NewId("cust"), sku);

        await Eventually.Get(() => Task.FromResult(Of(MarketplaceMetrics.OrderDuration).Any() ? "measured" : null), "the order's conclusion to be measured");
        var concluded = Assert.Single(Of(MarketplaceMetrics.OrderDuration));
        Assert.Equal("Fulfilled", concluded.Tags["status"]);
        Assert.True(concluded.Value > 0);
        Assert.Single(Of("marketplace.orders.placed"));

        // Every consumer's handling of the order's events, tagged by consumer and event type.
        bool Handled(string consumer, string type) =>
            Of(MarketplaceMetrics.HandlingDuration).Any(m => Equals(m.Tags["consumer"], consumer) && Equals(m.Tags["event.type"], type));
        await Eventually.Get(() => Task.FromResult(Handled("loyalty", "OrderFulfilled") && Handled("email", "OrderFulfilled") ? "done" : null), "the last handlings");
        Assert.Contains(Of(MarketplaceMetrics.HandlingDuration), m => Equals(m.Tags["consumer"], "payment") && Equals(m.Tags["event.type"], "OrderPlaced"));
        Assert.Contains(Of(MarketplaceMetrics.HandlingDuration), m => Equals(m.Tags["consumer"], "loyalty") && Equals(m.Tags["event.type"], "OrderFulfilled"));

        // Reporting counts the order's outcomes at the end of its deliveries: timed as a flush.
        await Eventually.Get(() => Task.FromResult(Of(MarketplaceMetrics.FlushDuration).Any(m => Equals(m.Tags["consumer"], "reporting")) ? "flushed" : null), "reporting's grouped counts to be timed");

        // Each consumer's lag, on the order's shard.
        var shard = host.Services.GetRequiredService<EventShards>().KeyOf(orderId);
        Assert.Contains(Of(MarketplaceMetrics.ConsumerLag), m => Equals(m.Tags["consumer"], "payment") && Equals(m.Tags["shard"], shard) && m.Value >= 0);

        // The outbox filled as the journal recorded events and emptied as it published them.
        var outbox = Of("marketplace.outbox.pending").Select(m => m.Value).ToList();
        Assert.Contains(outbox, v => v > 0);
        Assert.Equal(0, outbox.Sum());
    }

    public void Dispose() => listener?.Dispose();

    private IEnumerable<(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)> Of(string instrument) =>
        measurements.Where(m => m.Instrument == instrument);

    private void Listen() => listener = MarketplaceInstruments.Listen(
        host.Services.GetRequiredService<IMeterFactory>(),
        (instrument, value, tags) => measurements.Enqueue((instrument, value, MarketplaceInstruments.Copy(tags))));
}
