using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Marketplace.Tests.Faults;

public sealed class TransientFaultTests(TransientFaultsFixture fixture) : IClassFixture<TransientFaultsFixture>
{
    [Fact]
    public async Task With_a_fifth_of_all_handling_failing_every_order_still_ends_right_and_nothing_is_dead_lettered()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 4.25m, 1000);
        string[] tokens = [PaymentTokens.Visa, PaymentTokens.Mastercard, PaymentTokens.ChargeDeclined, PaymentTokens.ProcessingError];
        var orders = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => shop.PlaceAsync(Shop.NewId("cust"), tokens[i % 4], (sku, 1 + (i % 3)))));

        var settled = await Task.WhenAll(orders.Select(o => shop.SettledAsync(o.OrderId, TimeSpan.FromMinutes(1))));

        for (var i = 0; i < settled.Length; i++)
        {
            var declined = tokens[i % 4] == PaymentTokens.ChargeDeclined;
            Assert.Equal(declined ? OrderStatus.Cancelled : OrderStatus.Fulfilled, settled[i].Status);
            Assert.Equal(declined ? "payment-declined" : null, settled[i].CancellationReason);
        }

        Assert.Empty(await shop.Grains.GetOpenDeadLettersAsync());
        await Invariants.AssertAllHoldAsync(shop);
    }

    /// <summary>
    /// A consumer fails a batch only when it cannot commit; Orleans' default would skip the batch
    /// after a minute of that (AbandonedDeliveryTests shows what a skip costs), so the product's
    /// default waits for as long as it takes.
    /// </summary>
    [Fact]
    public void The_stream_never_gives_up_on_a_batch_by_default()
    {
        var agent = fixture.SiloService<IOptionsMonitor<StreamPullingAgentOptions>>().Get(EventStreams.Provider);
        Assert.Equal(Timeout.InfiniteTimeSpan, agent.MaxEventDeliveryTime);
    }
}

public sealed class PermanentFaultTests(PermanentFaultFixture fixture) : IClassFixture<PermanentFaultFixture>
{
    [Fact]
    public async Task A_consumer_that_always_fails_has_its_events_dead_lettered_and_replay_brings_the_invariants_back()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 10.50m, 100);
        var customer = Shop.NewId("cust");
        var orders = new List<OrderSnapshot>();
        for (var i = 0; i < 5; i++)
        {
            orders.Add(await shop.PlaceAsync(customer, PaymentTokens.Visa, (sku, 2)));
        }

        // Everyone else carries on: every order is fulfilled, mail and report are right.
        var letters = await Eventually.Get(async () => await shop.Grains.GetOpenDeadLettersAsync() is { Length: 5 } open ? open : null, "five dead letters");
        foreach (var order in orders)
        {
            Assert.Equal(OrderStatus.Fulfilled, (await Eventually.Get(async () =>
                await shop.Grains.GetGrain<IOrderGrain>(order.OrderId).GetAsync() is { Status: OrderStatus.Fulfilled } o ? o : null, "fulfilment")).Status);
            var letter = Assert.Single(letters, l => l.OrderId == order.OrderId);
            Assert.Equal((PermanentFaultFixture.FaultyConsumer, "OrderFulfilled", 1), (letter.Consumer, letter.Type, letter.Attempts));
            Assert.Contains("Injected permanent fault", letter.Error, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await shop.Grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync()).Points);
        var mail = await Eventually.Get(async () => await shop.Grains.GetGrain<IMailboxGrain>(customer).GetAsync() is { Length: 10 } m ? m.ToArray() : null, "ten notifications");
        Assert.Equal(5, mail.Count(n => n.Kind == NotificationKinds.OrderShipped));

        // Replay while the fault is still there: it fails again, and the letter stays open.
        var stillFailing = await shop.Grains.GetGrain<IDeadLetterGrain>(letters[0].Id).ReplayAsync();
        Assert.Equal((ReplayOutcome.Failed, 2), (stillFailing.Outcome, stillFailing.Letter!.Attempts));

        fixture.RemoveFault();
        foreach (var letter in letters)
        {
            Assert.Equal(ReplayOutcome.Handled, (await shop.Grains.GetGrain<IDeadLetterGrain>(letter.Id).ReplayAsync()).Outcome);
        }

        Assert.Empty(await shop.Grains.GetOpenDeadLettersAsync());
        Assert.Equal(5 * 21, (await shop.Grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync()).Points);
        await Invariants.AssertAllHoldAsync(shop);

        // Replaying an event already handled changes nothing.
        Assert.Equal(ReplayOutcome.Handled, (await shop.Grains.GetGrain<IDeadLetterGrain>(letters[0].Id).ReplayAsync()).Outcome);
        Assert.Equal(5 * 21, (await shop.Grains.GetGrain<ICustomerLoyaltyGrain>(customer).GetAsync()).Points);
        Assert.Equal(ReplayOutcome.NotFound, (await shop.Grains.GetGrain<IDeadLetterGrain>("no-such-letter").ReplayAsync()).Outcome);
    }
}

public sealed class OutboxRecoveryTests(CrashBeforePublishFixture fixture) : IClassFixture<CrashBeforePublishFixture>
{
    [Fact]
    public async Task Events_written_by_a_journal_that_crashed_before_publishing_go_out_on_its_next_activation_exactly_once_in_effect()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 7m, 10);
        var orderId = Guid.NewGuid().ToString();
        var customer = Shop.NewId("cust");

        // The checkout is written, then the journal dies before publishing: the caller sees a failure...
        await Assert.ThrowsAsync<Marketplace.Grains.Faults.InjectedCrashException>(() => shop.PlaceAsync(orderId, customer, PaymentTokens.Visa, (sku, 3)));
        Assert.Equal(OrderStatus.Placed, (await shop.Grains.GetGrain<IOrderGrain>(orderId).GetAsync())!.Status);

        // ...and the next activation (here, that read) publishes the outbox. The client's retry
        // finds the order placed; every later write crashes the same way and the consumers'
        // retries bring the journal back each time.
        Assert.Equal(OrderStatus.Placed, (await shop.PlaceAsync(orderId, customer, PaymentTokens.Visa, (sku, 3))).Status);
        var order = await shop.SettledAsync(orderId, TimeSpan.FromMinutes(1));

        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        Assert.Equal(6, (await shop.TimelineAsync(orderId))!.Value.Length); // each outcome recorded once
        Assert.Empty(await shop.Grains.GetOpenDeadLettersAsync());
        await Invariants.AssertAllHoldAsync(shop); // charged once, shipped once, stock taken once, one of each mail
    }

    [Fact]
    public async Task An_order_whose_journal_crashed_before_publishing_finishes_on_its_own_though_nobody_reads_it()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 7m, 10);
        var orderId = Guid.NewGuid().ToString();

        // Written, not published, and the caller gives up: no retry, no read of the order.
        await Assert.ThrowsAsync<Marketplace.Grains.Faults.InjectedCrashException>(() => shop.PlaceAsync(orderId, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1)));

        // Its wake-up activates it (2 s here), the outbox goes out, and the saga runs: seen from the
        // shipment, which reading does not touch the order.
        var shipment = await Eventually.Get(() => shop.Grains.GetGrain<IShipmentGrain>(orderId).GetAsync(), "the shipment, with no one reading the order", TimeSpan.FromSeconds(60));
        Assert.NotNull(shipment);
        Assert.Equal(OrderStatus.Fulfilled, (await shop.SettledAsync(orderId)).Status);

        // Delivered, the order's wake-up is gone: no reminder outlives its order.
        var reminders = fixture.SiloService<Orleans.IReminderTable>();
        await Eventually.Get(async () => (await reminders.ReadRows(GrainId.Create("order", orderId))).Reminders.Count == 0 ? new object() : null, "the wake-up to be removed");
    }
}
