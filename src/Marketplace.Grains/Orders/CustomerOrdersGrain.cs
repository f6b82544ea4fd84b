namespace Marketplace.Grains.Orders;

[GenerateSerializer, Alias("marketplace.customer-orders-state.v1")]
public sealed class CustomerOrdersState
{
    [Id(0)] public List<string> OrderIds { get; set; } = [];
}

[GrainType("customer-orders")]
public sealed class CustomerOrdersGrain(
    [PersistentState("customer-orders", Storage.Name)] IPersistentState<CustomerOrdersState> state)
    : Grain, ICustomerOrdersGrain
{
    public async Task AddAsync(string orderId)
    {
        if (!state.State.OrderIds.Contains(orderId))
        {
            state.State.OrderIds.Add(orderId);
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> GetOrderIdsAsync() => Task.FromResult(state.State.OrderIds.ToImmutableArray());
}
