namespace Marketplace.Grains.Orders;

/// <summary>
/// The last orders placed, newest first, for the operations page. In memory only: a view for
/// people, not a record (the orders themselves are the record), so it costs no write per order.
/// </summary>
public sealed class RecentOrdersGrain : Grain, IRecentOrdersGrain
{
    public const int Capacity = 50;
    public const string Key = "all";

    private ImmutableArray<string> recent = [];

    public Task AddAsync(string orderId)
    {
        recent = [orderId, .. recent.Remove(orderId).Take(Capacity - 1)];
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<string>> GetAsync() => Task.FromResult(recent);
}
