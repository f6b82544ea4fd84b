using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Payments;

[GenerateSerializer, Alias("marketplace.payment-saga.v1")]
public sealed class PaymentSaga
{
    /// <summary>Inventory could not hold the order: whatever is captured must go back.</summary>
    [Id(0)] public bool StockUnavailable { get; set; }
}

/// <summary>Charges the order on checkout; refunds it when inventory reports no stock.</summary>
[GrainType("payment")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.StockUnavailable)]
public sealed class PaymentConsumer(
    [PersistentState("payment-consumer", Storage.Name)] IPersistentState<ConsumerState<PaymentSaga>> state)
    : OrderEventConsumer<PaymentSaga>(state)
{
    private IPaymentGrain Payment => GrainFactory.GetGrain<IPaymentGrain>(OrderId);

    protected override async Task HandleAsync(OrderEvent e)
    {
        switch (e)
        {
            case OrderPlaced placed:
                var payment = await Payment.CaptureAsync(placed.Total, placed.PaymentToken);
                if (payment.Status == PaymentStatus.Declined)
                {
                    await PublishAsync(new PaymentDeclined(payment.DeclineReason!, payment.Attempts), placed);
                    return;
                }

                await PublishAsync(new PaymentCaptured(payment.Amount, payment.Attempts), placed);
                if (Saga.StockUnavailable)
                {
                    await RefundAsync(placed);
                }

                break;

            case StockUnavailable unavailable:
                Saga.StockUnavailable = true;
                // Not charged yet: the OrderPlaced handler refunds right after capturing.
                await RefundAsync(unavailable);
                break;
        }
    }

    private async Task RefundAsync(OrderEvent cause)
    {
        if (await Payment.RefundAsync() is { Status: PaymentStatus.Refunded } refunded)
        {
            await PublishAsync(new PaymentRefunded(refunded.Amount), cause);
        }
    }
}
