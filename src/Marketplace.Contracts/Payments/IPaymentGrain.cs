namespace Marketplace.Contracts.Payments;

public enum PaymentStatus
{
    Captured,
    Declined,
    Refunded,
}

[GenerateSerializer, Immutable, Alias("marketplace.payment.v1")]
public sealed record PaymentSnapshot(
    [property: Id(0)] string OrderId,
    [property: Id(1)] PaymentStatus Status,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] int Attempts,
    [property: Id(4)] string? DeclineReason);

/// <summary>The payment of one order (key: order id).</summary>
public interface IPaymentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Charges the order once. Repeated calls return the recorded outcome and never charge twice.
    /// Throws <see cref="PaymentGatewayUnavailableException"/> when the gateway fails transiently.
    /// </summary>
    Task<PaymentSnapshot> CaptureAsync(decimal amount, string paymentToken);

    /// <summary>Gives a captured payment back; repeated calls refund once. Null when nothing was charged.</summary>
    Task<PaymentSnapshot?> RefundAsync();

    [ReadOnly]
    Task<PaymentSnapshot?> GetAsync();
}

/// <summary>The gateway could not answer; the same request may succeed when retried.</summary>
[GenerateSerializer, Alias("marketplace.payment-gateway-unavailable")]
public sealed class PaymentGatewayUnavailableException(string message) : TransientException(message);
