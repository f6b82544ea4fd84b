namespace Marketplace.Grains.Payments;

[GenerateSerializer, Alias("marketplace.payment-state.v1")]
public sealed class PaymentState
{
    /// <summary>Null until the gateway has decided.</summary>
    [Id(0)] public PaymentStatus? Status { get; set; }
    [Id(1)] public decimal Amount { get; set; }
    [Id(2)] public int Attempts { get; set; }
    [Id(3)] public string? DeclineReason { get; set; }
}

[GrainType("order-payment")]
public sealed class PaymentGrain(
    [PersistentState("payment", Storage.Name)] IPersistentState<PaymentState> state,
    IPaymentGateway gateway) : Grain, IPaymentGrain
{
    public const string DeclinedReason = "payment-declined";

    private string OrderId => this.GetPrimaryKeyString();

    private PaymentState Payment => state.State;

    public async Task<PaymentSnapshot> CaptureAsync(decimal amount, string paymentToken)
    {
        if (Payment.Status is not null)
        {
            return Snapshot()!;
        }

        Payment.Amount = amount;
        Payment.Attempts++;
        ChargeResult result;
        try
        {
            result = await gateway.ChargeAsync(OrderId, amount, paymentToken); // the order id is the idempotency key
        }
        catch (PaymentGatewayUnavailableException)
        {
            await state.WriteStateAsync(); // the attempt counts, whatever happens next
            throw;
        }

        Payment.Status = result == ChargeResult.Approved ? PaymentStatus.Captured : PaymentStatus.Declined;
        Payment.DeclineReason = result == ChargeResult.Declined ? DeclinedReason : null;
        await state.WriteStateAsync();
        DeactivateOnIdle(); // decided: a refund, if any, is rare, and an activation is memory
        return Snapshot()!;
    }

    public async Task<PaymentSnapshot?> RefundAsync()
    {
        if (Payment.Status == PaymentStatus.Captured)
        {
            await gateway.RefundAsync(OrderId, Payment.Amount);
            Payment.Status = PaymentStatus.Refunded;
            await state.WriteStateAsync();
            DeactivateOnIdle();
        }

        return Snapshot();
    }

    public Task<PaymentSnapshot?> GetAsync() => Task.FromResult(Snapshot());

    private PaymentSnapshot? Snapshot() => Payment.Status is { } status
        ? new PaymentSnapshot(OrderId, status, Payment.Amount, Payment.Attempts, Payment.DeclineReason)
        : null;
}
