namespace Marketplace.Tests.Faults;

/// <summary>Payment fails every attempt for one order (a poison order), transiently, for a retry budget of 15 s.</summary>
public sealed class PoisonOrderFixture : ClusterFixture
{
    public string PoisonOrderId { get; } = Guid.NewGuid().ToString();

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Faults:payment:FailureRate"] = "1";
        settings["Marketplace:Faults:payment:Orders:0"] = PoisonOrderId;
        settings["Marketplace:Consumers:Retry:MaxRetryAttempts"] = "1000";
        settings["Marketplace:Consumers:Retry:Budget"] = "00:00:15";
        return settings;
    }

    public void RemoveFault()
    {
        Configuration["Marketplace:Faults:payment:FailureRate"] = "0";
        Configuration.Reload();
    }
}

/// <summary>
/// A shard's consumer handles many orders; one order that keeps failing must wait behind its own
/// retries without holding up the others of its shard, then go to the dead letters, replayable.
/// </summary>
public sealed class PoisonOrderTests(PoisonOrderFixture fixture) : IClassFixture<PoisonOrderFixture>
{
    [Fact]
    public async Task A_poison_order_is_parked_while_the_rest_of_its_shard_flows_then_dead_lettered_and_replayable()
    {
        var shop = fixture.Shop;
        var shards = fixture.SiloService<EventShards>();
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 4m, 100);
        var customer = Shop.NewId("cust");

        await shop.PlaceAsync(fixture.PoisonOrderId, customer, PaymentTokens.Visa, (sku, 1));
        var sameShard = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid().ToString())
            .Where(id => shards.ShardOf(id) == shards.ShardOf(fixture.PoisonOrderId)).Take(5).ToList();
        foreach (var id in sameShard)
        {
            await shop.PlaceAsync(id, customer, PaymentTokens.Visa, (sku, 1));
        }

        // The others of the shard conclude while the poison order is still being retried (15 s budget).
        foreach (var id in sameShard)
        {
            Assert.Equal(OrderStatus.Fulfilled, (await shop.SettledAsync(id, TimeSpan.FromSeconds(10))).Status);
        }

        Assert.Empty(await shop.Grains.GetOpenDeadLettersAsync());
        Assert.Equal(OrderStatus.Placed, (await shop.Grains.GetGrain<IOrderGrain>(fixture.PoisonOrderId).GetAsync())!.Status);
        Assert.Contains("payment", (await shop.TimelineAsync(fixture.PoisonOrderId))!.Value[0].Pending);

        // Then its budget runs out: one dead letter, the order waits for an operator.
        var letter = Assert.Single(await Eventually.Get(
            async () => await shop.Grains.GetOpenDeadLettersAsync() is { Length: > 0 } open ? open : null, "the poison order's dead letter", TimeSpan.FromSeconds(40)));
        Assert.Equal((fixture.PoisonOrderId, "payment", "OrderPlaced"), (letter.OrderId, letter.Consumer, letter.Type));
        Assert.True(letter.Attempts > 1, $"retried before giving up ({letter.Attempts} attempts)");

        fixture.RemoveFault();
        Assert.Equal(ReplayOutcome.Handled, (await shop.Grains.GetGrain<IDeadLetterGrain>(letter.Id).ReplayAsync()).Outcome);
        Assert.Equal(OrderStatus.Fulfilled, (await shop.SettledAsync(fixture.PoisonOrderId)).Status);
        Assert.Empty(await shop.Grains.GetOpenDeadLettersAsync());
        await Invariants.AssertAllHoldAsync(shop);
    }
}
