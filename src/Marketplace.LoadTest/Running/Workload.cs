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

    public IReadOnlyList<PlannedOrder> Orders { get; }

    /// <param name="runId">Makes skus, customers and keys unique, so runs against one host never meet.</param>
    public static Workload Create(WorkloadSettings settings, string runId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Orders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Skus);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Customers);
#pragma warning disable CA5394 // a benchmark's mix, not security: it must be reproducible from the seed
        var random = new Random(settings.Seed);
        var skus = Enumerable.Range(0, settings.Skus).Select(i => $"LT-{runId}-{i:D3}").ToArray();
        var orders = new List<PlannedOrder>(settings.Orders);
        for (var i = 0; i < settings.Orders; i++)
        {
            var lines = random.GetItems(skus, random.Next(1, 4)).Distinct()
                .Select(sku => new OrderItem(sku, random.Next(1, 4))).ToImmutableArray();
            var roll = random.NextDouble();
            var token = roll < settings.DeclinedShare ? PaymentTokens.ChargeDeclined
                : roll < settings.DeclinedShare + settings.ProcessingErrorShare ? PaymentTokens.ProcessingError
                : random.Next(2) == 0 ? PaymentTokens.Visa : PaymentTokens.Mastercard;
            var customer = $"lt-{runId}-c{random.Next(settings.Customers)}";
            orders.Add(new PlannedOrder($"lt-{runId}-o{i}", new PlaceOrder(customer, lines, token, Address)));
        }

        var demand = orders.SelectMany(o => o.Command.Items).GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var products = skus.Select((sku, i) =>
        {
            var wanted = demand.GetValueOrDefault(sku);
            var stock = i < settings.ScarceSkus ? wanted / 2 : wanted + 1_000;
            return new PlannedProduct(sku, $"Load test product {i}", random.Next(100, 10_000) / 100m, stock);
        }).ToList();
#pragma warning restore CA5394
        return new Workload(products, orders);
    }
}
