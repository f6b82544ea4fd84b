using Marketplace.LoadTest.Running;

namespace Marketplace.Tests.LoadTest;

/// <summary>The load tool's orders are made when read: the same every time, and the stock matches what they ask for.</summary>
public sealed class WorkloadTests
{
    [Fact]
    public void The_same_seed_makes_the_same_orders_however_often_they_are_read()
    {
        var settings = new WorkloadSettings(Orders: 500, Customers: 20, Skus: 8, ScarceSkus: 2);
        var first = Workload.Create(settings, "run");
        var second = Workload.Create(settings, "run");

        Assert.Equal(500, first.Orders.Count);
        Assert.Equal(first.Orders.Select(Describe), second.Orders.Select(Describe));
        Assert.Equal(Describe(first.Orders[137]), Describe(first.Orders[137]));
        Assert.Equal(500, first.Orders.Select(o => o.Key).Distinct().Count());
        Assert.NotEqual(Describe(first.Orders[0]), Describe(Workload.Create(settings with { Seed = 7 }, "run").Orders[0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => first.Orders[500]);
    }

    [Fact]
    public void Scarce_skus_are_stocked_for_half_of_what_is_ordered_and_the_rest_for_more()
    {
        var workload = Workload.Create(new WorkloadSettings(Orders: 2_000, Skus: 10, ScarceSkus: 3), "run");
        var demand = workload.Orders.SelectMany(o => o.Command.Items).GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));

        Assert.All(workload.Products.Take(3), p => Assert.Equal(demand[p.Sku] / 2, p.Stock));
        Assert.All(workload.Products.Skip(3), p => Assert.Equal(demand.GetValueOrDefault(p.Sku) + 1_000, p.Stock));
        // 1,000 customers by default and 2,000 orders: customers come back.
        Assert.All(workload.Orders, o => Assert.Matches(@"^lt-run-c\d{1,3}$", o.Command.CustomerId));
        Assert.InRange(workload.Orders.Select(o => o.Command.CustomerId).Distinct().Count(), 700, 999);
    }

    private static string Describe(PlannedOrder order) =>
        $"{order.Key} {order.Command.CustomerId} {order.Command.PaymentToken} {string.Join(",", order.Command.Items.Select(i => $"{i.Sku}x{i.Quantity}"))}";
}
