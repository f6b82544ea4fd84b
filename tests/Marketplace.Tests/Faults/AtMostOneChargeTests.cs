using Marketplace.Grains.Payments;

namespace Marketplace.Tests.Faults;

/// <summary>
/// The gateway charges and its answer is lost (a dropped connection, or the payment grain's silo
/// dying between the charge and its record): the payment is retried with the order id as its
/// idempotency key, and the customer is charged once.
/// </summary>
public sealed class AtMostOneChargeTests(LostGatewayAnswerFixture fixture) : IClassFixture<LostGatewayAnswerFixture>
{
    [Fact]
    public async Task Answers_lost_after_the_charge_are_retried_and_every_customer_is_charged_at_most_once()
    {
        var shop = fixture.Shop;
        var sku = Shop.NewId("SKU");
        var soldOut = Shop.NewId("SKU");
        await shop.AddProductAsync(sku, 12.50m, stock: 3);
        await shop.AddProductAsync(soldOut, 12.50m, stock: 0);
        var approved = await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 2));
        var declined = await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.ChargeDeclined, (sku, 1));
        var outOfStock = await shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Mastercard, (soldOut, 1)); // captured, then refunded

        Assert.Equal(OrderStatus.Fulfilled, (await shop.SettledAsync(approved.OrderId)).Status);
        Assert.Equal("payment-declined", (await shop.SettledAsync(declined.OrderId)).CancellationReason);
        var refunded = await shop.SettledAsync(outOfStock.OrderId);

        var expected = new[] { (approved, 25.00m, 0m), (declined, 0m, 0m), (outOfStock, 12.50m, 12.50m) };
        foreach (var (order, charged, refund) in expected)
        {
            var ledger = await Eventually.Get(async () => await fixture.Shop.Grains.GetGrain<IGatewayLedgerGrain>(order.OrderId).GetAsync() is { Refunded: var r } l && r == refund ? l : null,
                $"the gateway's record of {order.OrderId}");
            Assert.Equal((LostGatewayAnswerFixture.LostAnswers + 1, charged), (ledger.Requests, ledger.Charged)); // three requests, one charge
            var payment = (await shop.Grains.GetGrain<IPaymentGrain>(order.OrderId).GetAsync())!;
            Assert.Equal(LostGatewayAnswerFixture.LostAnswers + 1, payment.Attempts);
        }

        Assert.Equal("out-of-stock", refunded.CancellationReason);
        await Invariants.AssertAllHoldAsync(shop);
    }

    [Fact]
    public async Task The_gateway_answers_a_repeated_key_with_its_first_answer_and_moves_no_more_money()
    {
        var ledger = fixture.Shop.Grains.GetGrain<IGatewayLedgerGrain>(Shop.NewId("key"));
        for (var i = 0; i < LostGatewayAnswerFixture.LostAnswers; i++)
        {
            await Assert.ThrowsAsync<PaymentGatewayUnavailableException>(() => ledger.ChargeAsync(10m, PaymentTokens.Visa));
        }

        Assert.Equal(ChargeResult.Approved, await ledger.ChargeAsync(10m, PaymentTokens.Visa));
        Assert.Equal(ChargeResult.Approved, await ledger.ChargeAsync(99m, PaymentTokens.ChargeDeclined)); // a repeat: the first answer

        var record = await ledger.GetAsync();
        Assert.Equal((4, 10m), (record.Requests, record.Charged));
    }
}
