namespace Marketplace.Contracts.Payments;

/// <summary>The test tokens the built-in gateway simulator understands (see API.md).</summary>
public static class PaymentTokens
{
    public const string Visa = "tok_visa";
    public const string Mastercard = "tok_mastercard";
    public const string ChargeDeclined = "tok_chargeDeclined";
    public const string ProcessingError = "tok_processingError";

    public static IReadOnlySet<string> All { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Visa, Mastercard, ChargeDeclined, ProcessingError };
}
