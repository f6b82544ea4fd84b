using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Payments;

/// <summary>Charges the order on checkout; refunds it when inventory reports no stock.</summary>
[GrainType("payment")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.StockUnavailable)]
public sealed class PaymentConsumer(
    [PersistentState("payment-consumer", Storage.Name)] IPersistentState<ConsumerState<NoNotes>> state,
    ConsumerServices services)
    : OrderEventConsumer<NoNotes>(state, services)
{
    protected override async Task HandleAsync(OrderEvent e, NoNotes notes)
    {
        var payment = GrainFactory.GetGrain<IPaymentGrain>(e.OrderId);
        switch (e)
        {
            case OrderPlaced placed:
                var charged = await payment.CaptureAsync(placed.Total, placed.PaymentToken);
                await ReportAsync(
                    charged.Status == PaymentStatus.Declined
                        ? new PaymentDeclined(charged.DeclineReason!, charged.Attempts)
                        : new PaymentCaptured(charged.Amount, charged.Attempts),
                    placed);
                break;

            // Handled after OrderPlaced (in sequence), so whatever was captured is known.
            case StockUnavailable unavailable:
                if (await payment.RefundAsync() is { Status: PaymentStatus.Refunded } refunded)
                {
                    await ReportAsync(new PaymentRefunded(refunded.Amount), unavailable);
                }

                break;
        }
    }
}
