namespace Marketplace.LoadTest.Running;

/// <summary>The shape of a run's orders: who buys, what, and how they pay.</summary>
public sealed record WorkloadSettings(
    int Orders,
    int Customers = 1_000,
    int Skus = 50,
    int ScarceSkus = 5,
    double DeclinedShare = 0.05,
    double ProcessingErrorShare = 0.005,
    int Seed = 42);

/// <summary>One checkout to make. <paramref name="Key"/> is its idempotency key: a retry places nothing new.</summary>
public sealed record PlannedOrder(string Key, PlaceOrder Command);

public sealed record PlannedProduct(string Sku, string Name, decimal Price, int Stock);

/// <summary>
/// A deterministic workload (same seed, same orders): 1-3 lines of 1-3 units from the catalog,
/// mostly approved cards with some declines and gateway errors, and a few scarce skus stocked for
/// half of what is ordered, so out-of-stock cancellations and their refunds happen too.
/// </summary>
public sealed class Workload
{
    private static readonly Address Address = new("Load Test", "1 Benchmark Road", "Amsterdam", "1011 AA", "NL");

    private Workload(IReadOnlyList<PlannedProduct> products, IReadOnlyList<PlannedOrder> orders) => (Products, Orders) = (products, orders);

    public IReadOnlyList<PlannedProduct> Products { get; }

    /// <summary>Made when read, each from its own seed: a run of any size holds none of them (its memory is the host's).</summary>
    public IReadOnlyList<PlannedOrder> Orders { get; }

    /// <param name="runId">Makes skus, customers and keys unique, so runs against one host never meet.</param>
    public static Workload Create(WorkloadSettings settings, string runId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Orders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Skus);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Customers);
#pragma warning disable CA5394 // a benchmark's mix, not security: it must be reproducible from the seed
        var skus = Enumerable.Range(0, settings.Skus).Select(i => $"LT-{runId}-{i:D3}").ToArray();
        var customers = Enumerable.Range(0, settings.Customers).Select(i => $"lt-{runId}-c{i}").ToArray();
        var orders = new PlannedOrders(settings, runId, skus, customers);
        var demand = orders.SelectMany(o => o.Command.Items).GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var random = new Random(settings.Seed);
        var products = skus.Select((sku, i) =>
        {
            var wanted = demand.GetValueOrDefault(sku);
            var stock = i < settings.ScarceSkus ? wanted / 2 : wanted + 1_000;
            return new PlannedProduct(sku, $"Load test product {i}", random.Next(100, 10_000) / 100m, stock);
        }).ToList();
        return new Workload(products, orders);
    }

    private sealed class PlannedOrders(WorkloadSettings settings, string runId, string[] skus, string[] customers) : IReadOnlyList<PlannedOrder>
    {
        public int Count => settings.Orders;

        public PlannedOrder this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                var random = new Random(unchecked((settings.Seed * 1_000_003) + index));
                var lines = random.GetItems(skus, random.Next(1, 4)).Distinct()
                    .Select(sku => new OrderItem(sku, random.Next(1, 4))).ToImmutableArray();
                var roll = random.NextDouble();
                var token = roll < settings.DeclinedShare ? PaymentTokens.ChargeDeclined
                    : roll < settings.DeclinedShare + settings.ProcessingErrorShare ? PaymentTokens.ProcessingError
                    : random.Next(2) == 0 ? PaymentTokens.Visa : PaymentTokens.Mastercard;
                return new PlannedOrder($"lt-{runId}-o{index}", new PlaceOrder(customers[random.Next(customers.Length)], lines, token, Address));
            }
        }

        public IEnumerator<PlannedOrder> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
#pragma warning restore CA5394
}
