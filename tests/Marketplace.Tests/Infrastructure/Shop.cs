using System.Collections.Concurrent;
using Marketplace.Grains.Orders;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// Drives the marketplace through its grains the way the API does, and remembers what it did
/// (stock given, orders placed) so the invariants of API.md can be checked over all of it.
/// </summary>
public sealed class Shop(IGrainFactory grains, Func<OrderTimeline> timeline)
{
    public static readonly Address Address = new("Ada Lovelace", "1 Analytical Way", "London", "N1 9GU", "GB");

    private readonly ConcurrentDictionary<string, int> stockGiven = new();
    private readonly ConcurrentQueue<string> placed = new();

    public IGrainFactory Grains => grains;

    /// <summary>Takes over what another shop did (its stock and orders), as after a cluster restart.</summary>
    public Shop ContinuingFrom(Shop earlier)
    {
        foreach (var (sku, stock) in earlier.stockGiven)
        {
            stockGiven[sku] = stock;
        }

        foreach (var orderId in earlier.placed)
        {
            placed.Enqueue(orderId);
        }

        return this;
    }

    public IReadOnlyDictionary<string, int> StockGiven => stockGiven;

    public IReadOnlyCollection<string> PlacedOrderIds => placed;

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task<ProductSnapshot> AddProductAsync(string sku, decimal price, int stock)
    {
        var product = await grains.GetGrain<IProductGrain>(sku).UpsertAsync($"Product {sku}", price, stock);
        stockGiven[sku] = stock;
        return product;
    }

    public Task<OrderSnapshot> PlaceAsync(string customerId, string paymentToken, params (string Sku, int Quantity)[] items) =>
        PlaceAsync(Guid.NewGuid().ToString(), customerId, paymentToken, items);

    /// <summary>Checkout under a given order id; repeating it (after a failure) is safe.</summary>
    public async Task<OrderSnapshot> PlaceAsync(string orderId, string customerId, string paymentToken, params (string Sku, int Quantity)[] items)
    {
        var command = new PlaceOrder(customerId, [.. items.Select(i => new OrderItem(i.Sku, i.Quantity))], paymentToken, Address);
        var result = await grains.GetGrain<IOrderGrain>(orderId).PlaceAsync(command);
        Assert.Contains(result.Outcome, new[] { PlaceOrderOutcome.Placed, PlaceOrderOutcome.AlreadyPlaced });
        if (!placed.Contains(orderId))
        {
            placed.Enqueue(orderId);
        }
        return result.Order!;
    }

    /// <summary>A checkout whose gateway or grain died with a silo is repeated under the same id, as a client would.</summary>
    public async Task PlaceWithRetryAsync(string orderId, string customerId, string paymentToken, params (string Sku, int Quantity)[] items)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PlaceAsync(orderId, customerId, paymentToken, items);
                return;
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>
    /// Waits until the order is quiet: in a final state, and every event of it handled by every
    /// consumer subscribed to it (so nothing more will happen).
    /// </summary>
    public async Task<OrderSnapshot> SettledAsync(string orderId, TimeSpan? timeout = null)
    {
        var lastSeen = "nothing";
        try
        {
            return await Eventually.Get(async () =>
            {
                var order = await grains.GetGrain<IOrderGrain>(orderId).GetAsync();
                var entries = await timeline().GetAsync(orderId);
                lastSeen = $"{order?.Status}; " + string.Join("; ", entries?.Select(e => $"#{e.Sequence} {e.Type} handled by [{string.Join(",", e.HandledBy)}] pending [{string.Join(",", e.Pending)}] dead-lettered [{string.Join(",", e.DeadLettered)}]") ?? []);
                return order is { Status: not OrderStatus.Placed } && entries!.Value.All(e => e.Pending.IsEmpty) ? order : null;
            }, $"order {orderId} to settle", timeout);
        }
        catch (TimeoutException ex)
        {
            var letters = (await grains.GetOpenDeadLettersAsync()).Where(l => l.OrderId == orderId).Select(l => $"{l.Consumer} {l.Type}: {l.Error}");
            throw new TimeoutException($"{ex.Message} Last seen: {lastSeen}. Dead letters: {string.Join(" | ", letters)}", ex);
        }
    }

    public Task<ImmutableArray<TimelineEntry>?> TimelineAsync(string orderId) => timeline().GetAsync(orderId);

    /// <summary>What every consumer has done for the order.</summary>
    public Task<IReadOnlyList<(Marketplace.Grains.Consumers.ConsumerDescriptor Consumer, Marketplace.Contracts.Consumers.ConsumerProgress Progress)>> ProgressAsync(string orderId) =>
        timeline().ProgressAsync(orderId);
}
