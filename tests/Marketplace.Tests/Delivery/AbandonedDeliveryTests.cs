using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// Grains on a clock that stands still until the test moves it; the sales report refuses the
/// reporting consumer's grouped calls while <see cref="Out"/>; Orleans gives up on a failing batch
/// after 2 s (by default it never does); shipping takes 4 s, so an order is still open when the test
/// moves it to a new activation.
/// </summary>
public sealed class AbandonedDeliveryFixture : ClusterFixture
{
    private volatile bool isOut = true;
    private int refused;

    public int Refused => Volatile.Read(ref refused);

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public bool Out { get => isOut; set => isOut = value; }

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:MemoryStreams:MaxEventDeliveryTime"] = "00:00:02";
        settings["Marketplace:Orders:RepublishAfter"] = "00:00:01";
        settings["Marketplace:Faults:shipping:Delay"] = "00:00:04";
        return settings;
    }

    protected override void Customize(InProcessTestClusterBuilder builder)
    {
        builder.ConfigureHost(host => host.Services.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureSilo((_, silo) => silo.AddIncomingGrainCallFilter(async call =>
        {
            if (Out && call.Grain is ISalesReportGrain && call.MethodName == nameof(ISalesReportGrain.RecordAsync))
            {
                Interlocked.Increment(ref refused);
                throw new TimeoutException("The report store is out of reach (test).");
            }

            await call.Invoke();
        }));
    }
}

/// <summary>
/// A batch the stream gave up on (the reporting consumer could not commit it for longer than
/// Orleans' MaxEventDeliveryTime) is reported: counted per consumer and logged. The orders' delivery
/// check then finds reporting lacking their conclusions, but only once each order has been quiet
/// for <c>RepublishAfter</c> on the grains' clock, and delivers them again: the report counts every
/// order once.
/// </summary>
public sealed class AbandonedDeliveryTests(AbandonedDeliveryFixture fixture) : IClassFixture<AbandonedDeliveryFixture>
{
    [Fact]
    public async Task Abandoned_batches_are_reported_and_the_delivery_check_brings_their_events_once_the_orders_are_quiet()
    {
        var abandoned = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "marketplace.consumer.deliveries_abandoned")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (abandoned)
            {
                abandoned.Add(tags.ToArray().Single(t => t.Key == "consumer").Value as string ?? "");
            }
        });
        listener.Start();

        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 3m, 10);
        var before = (await shop.Grains.GetSalesReportAsync()).OrdersFulfilled;
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var id in ids)
        {
            await shop.PlaceAsync(id, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));

            // An activation that placed the order and saw the cluster unchanged knows that nothing
            // was lost and checks nothing; a later one (after a silo moved it, say) checks.
            await fixture.Cluster.DeactivateAsync(shop.Grains.GetGrain<IOrderGrain>(id));
        }

        foreach (var id in ids)
        {
            await Eventually.Get(async () => await shop.Grains.GetGrain<IOrderGrain>(id).GetAsync() is { Status: OrderStatus.Fulfilled } o ? o : null, $"order {id} to be fulfilled");
        }

        // Every batch that reached reporting is given up on: refusals stop once none is in retry
        // (attempts come at most 2 s apart).
        await Eventually.Get(() => Task.FromResult(Count(abandoned) > 0 ? "abandoned" : null), $"a batch to be given up on (refused {fixture.Refused})");
        await Eventually.Get(async () =>
        {
            var refused = fixture.Refused;
            await Task.Delay(TimeSpan.FromSeconds(3));
            return fixture.Refused == refused ? "settled" : null;
        }, "the report's refusals to stop", TimeSpan.FromSeconds(40));
        lock (abandoned)
        {
            Assert.All(abandoned, consumer => Assert.Equal("reporting", consumer));
        }

        foreach (var id in ids)
        {
            var conclusion = (await shop.TimelineAsync(id))!.Value.Single(e => e.Type == nameof(OrderFulfilled));
            Assert.Contains("reporting", conclusion.Pending);
        }

        // The report is back, but the grains' clock stands still: the delivery check ticks and
        // finds no order quiet for long enough.
        fixture.Out = false;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(before, (await shop.Grains.GetSalesReportAsync()).OrdersFulfilled);

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var report = await Eventually.Get(async () => await shop.Grains.GetSalesReportAsync() is { } r && r.OrdersFulfilled == before + ids.Count ? r : null,
            "the delivery check to bring reporting its events");
        Assert.Equal(before + ids.Count, report.OrdersFulfilled);
        foreach (var id in ids)
        {
            Assert.All((await shop.TimelineAsync(id))!.Value, e => Assert.Empty(e.Pending));
        }

        await Invariants.AssertAllHoldAsync(shop);
    }

    private static int Count(List<string> abandoned)
    {
        lock (abandoned)
        {
            return abandoned.Count;
        }
    }
}
