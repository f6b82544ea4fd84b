namespace Marketplace.Grains.Orders;

/// <summary>A full page of a customer's order ids (key: page number, customer id), written once.</summary>
public interface ICustomerOrdersPageGrain : IGrainWithIntegerCompoundKey
{
    Task KeepAsync(ImmutableArray<string> orderIds);

    [ReadOnly]
    Task<ImmutableArray<string>> GetAsync();
}

[GenerateSerializer, Alias("marketplace.customer-orders-page-state.v1")]
public sealed class CustomerOrdersPageState
{
    [Id(0)] public ImmutableArray<string> OrderIds { get; set; } = [];
}

[GrainType("customer-orders-page")]
public sealed class CustomerOrdersPageGrain(
    [PersistentState("customer-orders-page", Storage.Name)] IPersistentState<CustomerOrdersPageState> state) : Grain, ICustomerOrdersPageGrain
{
    public async Task KeepAsync(ImmutableArray<string> orderIds)
    {
        state.State.OrderIds = orderIds;
        await state.WriteStateAsync();
        DeactivateOnIdle(); // written once, read rarely
    }

    public Task<ImmutableArray<string>> GetAsync() => Task.FromResult(state.State.OrderIds);
}
