using Marketplace.Grains.Paging;
using Microsoft.Extensions.Options;

namespace Marketplace.Grains.Orders;

/// <summary>
/// A customer's orders, for listing. A customer with years of orders has thousands: the row keeps
/// the latest page (<see cref="PagedList{T}"/>).
/// </summary>
[GrainType("customer-orders")]
public sealed class CustomerOrdersGrain(
    [PersistentState("customer-orders", Storage.Name)] IPersistentState<PagedListState<string>> state,
    TimeProvider clock,
    IOptions<IdempotencyOptions> idempotency)
    : Grain, ICustomerOrdersGrain
{
    /// <summary>About 20 KB stored with ids of 36 characters: a page stays far below Table storage's limits.</summary>
    public const int PageSize = 500;

    private PagedList<string>? orderIds;

    private PagedList<string> OrderIds => orderIds ??= new(
        state, page => GrainFactory.GetGrain<ICustomerOrdersPageGrain>(page, this.GetPrimaryKeyString()), clock, idempotency.Value.Window, PageSize);

    public async Task AddAsync(string orderId)
    {
        if (await OrderIds.FindAsync(orderId, id => id == orderId) is null)
        {
            await OrderIds.AddAsync(orderId, orderId);
        }
    }

    /// <remarks>
    /// Distinct: an order whose placement is retried after its id went into a page and out of the
    /// recent ids (its first write failed, the retry came minutes later) is listed once all the same.
    /// </remarks>
    public async Task<ImmutableArray<string>> GetOrderIdsAsync() => [.. (await OrderIds.AllAsync()).Distinct(StringComparer.Ordinal)];
}
