using Marketplace.Grains.Orders;

namespace Marketplace.Tests.Orders;

/// <summary>The operations page's list of recent orders stays the newest few, each once, however many orders come.</summary>
public sealed class RecentOrdersTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Keeps_the_newest_orders_up_to_its_capacity_each_once_newest_first()
    {
        var recent = fixture.Client.GetGrain<IRecentOrdersGrain>(Shop.NewId("recent"));
        var ids = Enumerable.Range(0, RecentOrdersGrain.Capacity + 10).Select(i => $"order-{i}").ToList();

        // Adds are one-way, and one-way calls may overtake each other: each is awaited until it landed.
        async Task<string[]> AddAsync(string id)
        {
            await recent.AddAsync(id);
            return await Eventually.Get(async () => await recent.GetAsync() is [var newest, ..] listed && newest == id ? listed.ToArray() : null, $"{id} to be listed");
        }

        foreach (var id in ids)
        {
            await AddAsync(id);
        }

        var list = await AddAsync(ids[^5]); // seen again (a retried add): moves to the front, not listed twice

        Assert.Equal(RecentOrdersGrain.Capacity, list.Length);
        Assert.Equal([.. ids.TakeLast(RecentOrdersGrain.Capacity).Where(id => id != ids[^5]).Reverse()], list[1..]);
    }
}
