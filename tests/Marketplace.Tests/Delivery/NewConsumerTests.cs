using Marketplace.Contracts.Consumers;
using Marketplace.Grains;
using Marketplace.Grains.Consumers;

namespace Marketplace.Tests.Delivery;

public interface IAuditConsumer : IOrderEventConsumer
{
    Task<ImmutableArray<string>> GetSeenAsync(string orderId);
}

[GenerateSerializer]
public sealed class AuditNotes
{
    [Id(0)] public List<string> Seen { get; set; } = [];
}

/// <summary>
/// A concern the producer has never heard of, added in another assembly: one class, no
/// registration, no change to the order grain.
/// </summary>
[GrainType("audit")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.OrderFulfilled)]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public sealed class AuditConsumer(
    [PersistentState("audit-consumer", Storage.Name)] IPersistentState<ConsumerState<AuditNotes>> state,
    ConsumerServices services)
    : OrderEventConsumer<AuditNotes>(state, services), IAuditConsumer
{
    // What this activation saw, for the test: a concluded order's notes state is let go.
    private readonly Dictionary<string, List<string>> seen = [];

    public Task<ImmutableArray<string>> GetSeenAsync(string orderId) =>
        Task.FromResult(seen.TryGetValue(orderId, out var types) ? types.ToImmutableArray() : []);

    protected override Task HandleAsync(OrderEvent e, AuditNotes notes)
    {
        notes.Seen.Add(e.TypeName);
        (seen.TryGetValue(e.OrderId, out var types) ? types : seen[e.OrderId] = []).Add(e.TypeName);
        return Task.CompletedTask;
    }
}

public sealed class NewConsumerTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_consumer_class_added_in_the_test_assembly_receives_the_order_events()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 3m, 5);

        var order = await shop.SettledAsync((await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1))).OrderId);

        var shard = fixture.SiloService<EventShards>().KeyOf(order.OrderId);
        var seen = await shop.Grains.GetGrain<IAuditConsumer>(shard).GetSeenAsync(order.OrderId);
        Assert.Equal(["OrderPlaced", "OrderFulfilled"], seen.AsEnumerable());
        var timeline = (await shop.TimelineAsync(order.OrderId))!.Value;
        Assert.Contains("audit", timeline.Single(e => e.Type == "OrderPlaced").HandledBy);
        Assert.Contains("audit", timeline.Single(e => e.Type == "OrderFulfilled").HandledBy);
        Assert.Contains(fixture.SiloService<ConsumerCatalog>().All, c => c.Name == "audit");
    }
}
