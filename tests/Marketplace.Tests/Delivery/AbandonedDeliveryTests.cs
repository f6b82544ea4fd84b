using System.Diagnostics.Metrics;
using Marketplace.LoadTest.Running;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// Grains on a clock that stands still until the test moves it; the sales report refuses the
/// reporting consumer's grouped calls while <see cref="Out"/>; Orleans gives up on a failing batch
/// after 2 s (by default it never does); shipping takes 4 s, so an order is still open when the test
/// moves it to a new activation.
/// </summary>
public abstract class ReportOutFixture : ClusterFixture
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

    /// <summary>Places an order and moves it to a new activation (which runs the delivery check); returns once it is fulfilled.</summary>
    public async Task<string> PlaceElsewhereAsync(string sku)
    {
        var id = Guid.NewGuid().ToString();
        await Shop.PlaceAsync(id, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));

        // An activation that placed the order and saw the cluster unchanged knows that nothing
        // was lost and checks nothing; a later one (after a silo moved it, say) checks.
        await Cluster.DeactivateAsync(Shop.Grains.GetGrain<IOrderGrain>(id));
        return id;
    }

    public Task FulfilledAsync(string id) => Eventually.Get(
        async () => await Shop.Grains.GetGrain<IOrderGrain>(id).GetAsync() is { Status: OrderStatus.Fulfilled } o ? o : null, $"order {id} to be fulfilled");

    /// <summary>Returns once the report's refusals have stopped: no batch or redelivery is still being tried (attempts come at most 2 s apart).</summary>
    public Task RefusalsSettledAsync() => Eventually.Get(async () =>
    {
        var before = Refused;
        await Task.Delay(TimeSpan.FromSeconds(3));
        return Refused == before ? "settled" : null;
    }, "the report's refusals to stop", TimeSpan.FromSeconds(40));
}

public sealed class AbandonedDeliveryFixture : ReportOutFixture;

public sealed class UndeliverableReportFixture : ReportOutFixture;

/// <summary>
/// One instrument's measurements by their <c>consumer</c> tag, heard on the silos of one cluster
/// only (other clusters of the test run have meters of the same name).
/// </summary>
public sealed class ConsumerCounter : IDisposable
{
    private readonly List<string> consumers = [];
    private readonly List<MeterListener> listeners;

    public ConsumerCounter(InProcessTestCluster cluster, string instrument) => listeners =
    [
        .. cluster.Silos.Select(silo => MarketplaceInstruments.Listen(
            silo.ServiceProvider.GetRequiredService<IMeterFactory>(),
            (_, _, tags) =>
            {
                lock (consumers)
                {
                    consumers.Add(MarketplaceInstruments.Tag(tags, "consumer") as string ?? "");
                }
            },
            instrument)),
    ];

    public string[] Consumers
    {
        get
        {
            lock (consumers)
            {
                return [.. consumers];
            }
        }
    }

    public void Dispose() => listeners.ForEach(l => l.Dispose());
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
        using var abandoned = new ConsumerCounter(fixture.Cluster, "marketplace.consumer.deliveries_abandoned");
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 3m, 10);
        var before = (await shop.Grains.GetSalesReportAsync()).OrdersFulfilled;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await fixture.PlaceElsewhereAsync(sku));
        }

        foreach (var id in ids)
        {
            await fixture.FulfilledAsync(id);
        }

        // Every batch that reached reporting is given up on.
        await Eventually.Get(() => Task.FromResult(abandoned.Consumers.Length > 0 ? "abandoned" : null), $"a batch to be given up on (refused {fixture.Refused})");
        await fixture.RefusalsSettledAsync();
        Assert.All(abandoned.Consumers, consumer => Assert.Equal("reporting", consumer));
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
}

/// <summary>
/// A consumer that still fails when the delivery check delivers again: the check tries
/// <c>MaxRepublishes</c> rounds (3), each once the order has been quiet twice as long on the grains'
/// clock, then gives up: an error line and <c>marketplace.order.undelivered</c> for the consumer,
/// and no more rounds.
/// </summary>
public sealed class DeliveryCheckGiveUpTests(UndeliverableReportFixture fixture) : IClassFixture<UndeliverableReportFixture>
{
    private const int Rounds = 3; // OrderOptions.MaxRepublishes

    [Fact]
    public async Task After_its_last_round_the_check_counts_the_consumer_still_lacking_and_stops()
    {
        using var undelivered = new ConsumerCounter(fixture.Cluster, "marketplace.order.undelivered");
        var sku = Shop.NewId("SKU");
        await fixture.Shop.AddProductAsync(sku, 3m, 10);
        var id = await fixture.PlaceElsewhereAsync(sku);
        await fixture.FulfilledAsync(id);
        await fixture.RefusalsSettledAsync(); // the stream gave up on reporting's batches

        // Each move of the clock lets one round run (the check looks every second): three rounds
        // of delivering again, then the give-up. A slow tick only means more moves.
        var moves = 0;
        while (undelivered.Consumers.Length == 0 && moves < 4 * Rounds)
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(1));
            moves++;
            await Task.Delay(TimeSpan.FromSeconds(2.5));
        }

        Assert.Equal(["reporting"], undelivered.Consumers);
        Assert.True(moves > Rounds, $"gave up after {moves} move(s) of the clock: before its {Rounds} rounds");

        // Stopped: the clock moves on, and nothing is delivered again.
        var after = fixture.Refused;
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(after, fixture.Refused);
        Assert.Contains("reporting", (await fixture.Shop.TimelineAsync(id))!.Value.Single(e => e.Type == nameof(OrderFulfilled)).Pending);
    }
}
