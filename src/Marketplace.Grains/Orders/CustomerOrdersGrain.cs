using Microsoft.Extensions.Options;

namespace Marketplace.Grains.Orders;

[GenerateSerializer, Alias("marketplace.customer-orders-state.v1")]
public sealed class CustomerOrdersState
{
    /// <summary>The latest order ids, at most <see cref="CustomerOrdersGrain.PageSize"/>; older ones are in pages.</summary>
    [Id(0)] public List<string> OrderIds { get; set; } = [];

    /// <summary>How many full pages went to <see cref="ICustomerOrdersPageGrain"/> (numbered from 0).</summary>
    [Id(1)] public int Pages { get; set; }

    /// <summary>The ids added lately, so a repeat is recognised after its page moved out.</summary>
    [Id(2)] public RecentIds Recent { get; set; } = RecentIds.Empty;
}

/// <summary>
/// A customer's orders, for listing. A customer with years of orders has thousands, so the row
/// keeps only the latest page; each full page is written once to a grain of its own, and a read
/// gathers them (as the mailbox does).
/// </summary>
[GrainType("customer-orders")]
public sealed class CustomerOrdersGrain(
    [PersistentState("customer-orders", Storage.Name)] IPersistentState<CustomerOrdersState> state,
    TimeProvider clock,
    IOptions<IdempotencyOptions> idempotency)
    : Grain, ICustomerOrdersGrain
{
    /// <summary>About 20 KB stored with ids of 36 characters: a page stays far below Table storage's limits.</summary>
    public const int PageSize = 500;

    private CustomerOrdersState List => state.State;

    public async Task AddAsync(string orderId)
    {
        if (List.OrderIds.Contains(orderId) || (List.Recent.Contains(orderId) && await IsInPagesAsync(orderId)))
        {
            return;
        }

        if (List.OrderIds.Count >= PageSize)
        {
            // The page first: if the write below fails, the next activation writes the same page again.
            await Page(List.Pages).KeepAsync([.. List.OrderIds]);
            List.OrderIds = [];
            List.Pages++;
        }

        List.OrderIds.Add(orderId);
        List.Recent = List.Recent.Add(orderId, clock.GetUtcNow(), idempotency.Value.Window);
        await state.WriteStateAsync();
    }

    /// <remarks>
    /// Distinct: an order whose placement is retried after its id went into a page and out of the
    /// recent ids (its first write failed, the retry came minutes later) is listed once all the same.
    /// </remarks>
    public async Task<ImmutableArray<string>> GetOrderIdsAsync()
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, List.Pages).Select(p => Page(p).GetAsync()));
        return [.. pages.SelectMany(p => p).Concat(List.OrderIds).Distinct(StringComparer.Ordinal)];
    }

    private async Task<bool> IsInPagesAsync(string orderId)
    {
        for (var p = List.Pages - 1; p >= 0; p--)
        {
            if ((await Page(p).GetAsync()).Contains(orderId))
            {
                return true;
            }
        }

        return false;
    }

    private ICustomerOrdersPageGrain Page(int number) => GrainFactory.GetGrain<ICustomerOrdersPageGrain>(number, this.GetPrimaryKeyString());
}
