using Marketplace.Grains.Faults;

namespace Marketplace.Grains.Payments;

[GenerateSerializer]
public enum ChargeResult
{
    Approved,
    Declined,
}

/// <summary>The payment gateway as the payment grain sees it.</summary>
public interface IPaymentGateway
{
    /// <summary>
    /// Charges once per <paramref name="idempotencyKey"/>, as real gateways do: a repeat (after a lost
    /// answer, or a crash between the charge and its record) gets the first answer and moves no money.
    /// </summary>
    /// <exception cref="PaymentGatewayUnavailableException">The gateway failed transiently, or its answer was lost.</exception>
    Task<ChargeResult> ChargeAsync(string idempotencyKey, decimal amount, string paymentToken);

    Task RefundAsync(string idempotencyKey, decimal amount);
}

/// <summary>The built-in gateway: its accounts are <see cref="IGatewayLedgerGrain"/>s, one per idempotency key.</summary>
public sealed class PaymentGatewaySimulator(IGrainFactory grains) : IPaymentGateway
{
    public Task<ChargeResult> ChargeAsync(string idempotencyKey, decimal amount, string paymentToken) =>
        grains.GetGrain<IGatewayLedgerGrain>(idempotencyKey).ChargeAsync(amount, paymentToken);

    public Task RefundAsync(string idempotencyKey, decimal amount) =>
        grains.GetGrain<IGatewayLedgerGrain>(idempotencyKey).RefundAsync(amount);
}

/// <summary>The simulated gateway's record of one idempotency key: what it decided and what money moved.</summary>
public interface IGatewayLedgerGrain : IGrainWithStringKey
{
    Task<ChargeResult> ChargeAsync(decimal amount, string paymentToken);

    Task RefundAsync(decimal amount);

    Task<GatewayLedger> GetAsync();
}

[GenerateSerializer, Alias("marketplace.gateway-ledger.v1")]
public sealed class GatewayLedger
{
    /// <summary>Charge requests received under this key, repeats included.</summary>
    [Id(0)] public int Requests { get; set; }

    /// <summary>Null until decided; then every repeat gets it.</summary>
    [Id(1)] public ChargeResult? Result { get; set; }

    /// <summary>Money captured under this key: at most one charge, whatever the repeats.</summary>
    [Id(2)] public decimal Charged { get; set; }

    [Id(3)] public decimal Refunded { get; set; }
}

/// <summary>
/// Behaviour chosen by the test tokens of API.md. <c>Marketplace:Faults:gateway:LostResponses</c>
/// loses the answer to a key's first requests after the charge went through, as a dropped
/// connection would: the caller must retry with the same key.
/// </summary>
[GrainType("payment-gateway-ledger")]
public sealed class GatewayLedgerGrain(
    [PersistentState("ledger", Storage.Name)] IPersistentState<GatewayLedger> state,
    FaultInjector faults) : Grain, IGatewayLedgerGrain
{
    /// <summary>How many requests <c>tok_processingError</c> fails before it approves.</summary>
    public const int ProcessingErrorFailures = 2;

    private GatewayLedger Ledger => state.State;

    public async Task<ChargeResult> ChargeAsync(decimal amount, string paymentToken)
    {
        Ledger.Requests++;
        if (Ledger.Result is null)
        {
            if (paymentToken == PaymentTokens.ProcessingError && Ledger.Requests <= ProcessingErrorFailures)
            {
                await state.WriteStateAsync();
                throw new PaymentGatewayUnavailableException($"Gateway processing error for {this.GetPrimaryKeyString()} (request {Ledger.Requests}).");
            }

            Ledger.Result = paymentToken switch
            {
                PaymentTokens.Visa or PaymentTokens.Mastercard or PaymentTokens.ProcessingError => ChargeResult.Approved,
                PaymentTokens.ChargeDeclined => ChargeResult.Declined,
                _ => throw new ArgumentException($"Unknown payment token '{paymentToken}'.", nameof(paymentToken)),
            };
            Ledger.Charged = Ledger.Result == ChargeResult.Approved ? amount : 0;
        }

        await state.WriteStateAsync();
        if (faults.LosesGatewayAnswer(Ledger.Requests))
        {
            throw new PaymentGatewayUnavailableException($"The gateway's answer for {this.GetPrimaryKeyString()} was lost (request {Ledger.Requests}); it was {Ledger.Result}.");
        }

        return Ledger.Result.Value;
    }

    public async Task RefundAsync(decimal amount)
    {
        if (Ledger.Refunded == 0 && Ledger.Charged > 0)
        {
            Ledger.Refunded = Math.Min(amount, Ledger.Charged);
            await state.WriteStateAsync();
        }
    }

    public Task<GatewayLedger> GetAsync() => Task.FromResult(Ledger);
}
