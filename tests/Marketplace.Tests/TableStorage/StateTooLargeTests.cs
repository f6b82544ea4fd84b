using Marketplace.Contracts.Consumers;
using Marketplace.Grains;
using Marketplace.Grains.Consumers;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Marketplace.Tests.TableStorage;

public interface IBallastGrain : IGrainWithStringKey
{
    Task AddAsync(int characters);
}

[GenerateSerializer]
public sealed class Ballast
{
    [Id(0)] public List<string> Pieces { get; set; } = [];
}

/// <summary>An entity grain whose state grows with every call: a state that outgrows its provider.</summary>
[GrainType("ballast-entity")]
public sealed class BallastGrain([PersistentState("ballast", Storage.Name)] IPersistentState<Ballast> state) : Grain, IBallastGrain
{
    public async Task AddAsync(int characters)
    {
        state.State.Pieces.Add(new string('b', characters));
        await state.WriteStateAsync();
    }
}

public interface IBallastConsumer : IOrderEventConsumer;

/// <summary>
/// A consumer that, for a cancelled order of a customer named <c>ballast-…</c>, adds 1.2 MB to that
/// customer's <see cref="BallastGrain"/>; for anyone else it does nothing.
/// </summary>
[GrainType("ballast")]
[ImplicitStreamSubscription(EventStreams.OrderCancelled)]
public sealed class BallastConsumer([PersistentState("ballast-consumer", Storage.Name)] IPersistentState<ConsumerState<Ballast>> state,
    ConsumerServices services)
    : OrderEventConsumer<Ballast>(state, services), IBallastConsumer
{
    public const string CustomerPrefix = "ballast-";

    protected override Task HandleAsync(OrderEvent e, Ballast notes) => e is OrderCancelled { CustomerId: var customer } && customer.StartsWith(CustomerPrefix, StringComparison.Ordinal)
        ? GrainFactory.GetGrain<IBallastGrain>(customer).AddAsync(1_200_000)
        : Task.CompletedTask;
}

/// <summary>The Azure Table cluster with <see cref="BallastConsumer"/> (a consumer only this test runs).</summary>
public sealed class BallastClusterFixture : AzureTableClusterFixture
{
    protected override void Customize(InProcessTestClusterBuilder builder) =>
        builder.ConfigureSilo((_, silo) => silo.Configure<GrainTypeOptions>(o => o.Classes.Add(typeof(BallastConsumer))));
}

/// <summary>
/// A grain state over what Azure Table storage stores (Azurite): the write fails for good, so the
/// consumer that needed it dead-letters the event at its first attempt, with a message that names
/// the grain and the size, instead of retrying in vain for its whole budget.
/// </summary>
public sealed class StateTooLargeTests(BallastClusterFixture fixture) : IClassFixture<BallastClusterFixture>
{
    [Fact]
    public async Task A_state_too_large_for_table_storage_is_dead_lettered_at_once_naming_the_grain_and_its_size()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 1m, 5);
        var customer = Shop.NewId(BallastConsumer.CustomerPrefix.TrimEnd('-'));
        var order = await shop.PlaceAsync(customer, PaymentTokens.ChargeDeclined, (sku, 1));

        var letter = await Eventually.Get(async () => (await shop.Grains.GetOpenDeadLettersAsync()).SingleOrDefault(l => l.OrderId == order.OrderId),
            "the ballast consumer's dead letter");

        Assert.True(letter.Attempts == 1, letter.Error);
        Assert.Equal(("ballast", "OrderCancelled"), (letter.Consumer, letter.Type));
        Assert.Contains($"ballast-entity/{customer}", letter.Error, StringComparison.Ordinal);
        Assert.Matches(@"is 1\d{6} bytes, more than Azure Table storage stores", letter.Error);
        Assert.Equal(OrderStatus.Cancelled, (await shop.SettledAsync(order.OrderId)).Status); // the others carried on
    }

    [Fact]
    public void Too_large_is_permanent_and_other_storage_errors_stay_transient()
    {
        Assert.False(Failures.IsTransient(new GrainStateTooLargeException("too large")));
        Assert.True(Failures.IsTransient(new OrleansException("storage unreachable")));
    }
}
