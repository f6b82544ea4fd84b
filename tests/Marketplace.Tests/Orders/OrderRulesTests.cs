using Marketplace.Grains.Orders;

namespace Marketplace.Tests.Orders;

/// <summary>
/// The order's conclusion must not depend on the order in which services report: streams only
/// order events within one stream, and each service reports on its own.
/// </summary>
public sealed class OrderRulesTests
{
    private static readonly OrderPlaced Placed = new("c", [new OrderLine("S", 1, 10m)], 10m, PaymentTokens.Visa, Shop.Address);

    public static TheoryData<string[], string?> Outcomes => new()
    {
        { ["PaymentCaptured", "StockReserved", "ShipmentScheduled", "StockCommitted"], "Fulfilled" },
        { ["StockReserved", "PaymentCaptured", "ShipmentScheduled", "StockCommitted"], "Fulfilled" },
        { ["PaymentCaptured", "StockReserved", "ShipmentScheduled"], null },
        { ["PaymentDeclined", "StockReserved"], null },
        { ["PaymentDeclined", "StockReserved", "StockReleased"], "payment-declined" },
        { ["StockReserved", "PaymentDeclined", "StockReleased"], "payment-declined" },
        { ["StockUnavailable", "PaymentDeclined"], "payment-declined" },
        { ["PaymentDeclined", "StockUnavailable"], "payment-declined" },
        { ["StockUnavailable", "PaymentCaptured"], null },
        { ["StockUnavailable", "PaymentCaptured", "PaymentRefunded"], "out-of-stock" },
        { ["PaymentCaptured", "StockUnavailable", "PaymentRefunded"], "out-of-stock" },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void The_order_concludes_from_the_facts_whatever_their_arrival_order(string[] facts, string? expected)
    {
        var events = new List<OrderEvent> { Placed };
        events.AddRange(facts.Select(Fact));

        var conclusion = OrderRules.Conclude(events);

        var actual = conclusion switch
        {
            OrderFulfilled => "Fulfilled",
            OrderCancelled c => c.Reason,
            _ => null,
        };
        Assert.Equal(expected, actual);
        if (conclusion is not null)
        {
            events.Add(conclusion);
            Assert.Null(OrderRules.Conclude(events)); // concluded once
            Assert.NotEqual(OrderStatus.Placed, OrderRules.Project("o", events)!.Status);
        }
    }

    private static OrderEvent Fact(string name) => name switch
    {
        "PaymentCaptured" => new PaymentCaptured(10m, 1),
        "PaymentDeclined" => new PaymentDeclined("payment-declined", 1),
        "PaymentRefunded" => new PaymentRefunded(10m),
        "StockReserved" => new StockReserved(),
        "StockUnavailable" => new StockUnavailable(["S"]),
        "StockReleased" => new StockReleased(),
        "StockCommitted" => new StockCommitted(),
        "ShipmentScheduled" => new ShipmentScheduled("MP1"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
