namespace Marketplace.Grains.Payments;

public enum ChargeResult
{
    Approved,
    Declined,
}

/// <summary>The payment gateway as the payment grain sees it.</summary>
public interface IPaymentGateway
{
    /// <param name="attempt">1 for the first try of this order's charge, 2 for the first retry, ...</param>
    /// <exception cref="PaymentGatewayUnavailableException">The gateway failed transiently.</exception>
    Task<ChargeResult> ChargeAsync(string orderId, decimal amount, string paymentToken, int attempt);

    Task RefundAsync(string orderId, decimal amount);
}

/// <summary>
/// The built-in gateway: behaviour chosen by the test tokens of API.md. The payment grain records
/// each outcome, but a crash between a charge and that record would charge again: a real gateway
/// must take the order id (passed here) as its idempotency key.
/// </summary>
public sealed class PaymentGatewaySimulator : IPaymentGateway
{
    /// <summary>How many attempts <c>tok_processingError</c> fails before it approves.</summary>
    public const int ProcessingErrorFailures = 2;

    public Task<ChargeResult> ChargeAsync(string orderId, decimal amount, string paymentToken, int attempt) => paymentToken switch
    {
        PaymentTokens.Visa or PaymentTokens.Mastercard => Task.FromResult(ChargeResult.Approved),
        PaymentTokens.ChargeDeclined => Task.FromResult(ChargeResult.Declined),
        PaymentTokens.ProcessingError when attempt <= ProcessingErrorFailures =>
            throw new PaymentGatewayUnavailableException($"Gateway processing error for order {orderId} (attempt {attempt})."),
        PaymentTokens.ProcessingError => Task.FromResult(ChargeResult.Approved),
        _ => throw new ArgumentException($"Unknown payment token '{paymentToken}'.", nameof(paymentToken)),
    };

    public Task RefundAsync(string orderId, decimal amount) => Task.CompletedTask;
}
