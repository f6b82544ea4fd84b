namespace Marketplace.Contracts.Events;

[GenerateSerializer, Immutable, Alias("marketplace.payment-captured.v1")]
public sealed record PaymentCaptured(
    [property: Id(0)] decimal Amount,
    [property: Id(1)] int Attempts) : OrderEvent;

/// <summary>The gateway refused the payment; <see cref="Reason"/> is the order's cancellation reason.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.payment-declined.v1")]
public sealed record PaymentDeclined(
    [property: Id(0)] string Reason,
    [property: Id(1)] int Attempts) : OrderEvent;

/// <summary>Compensation: a captured payment given back because the order could not be fulfilled.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.payment-refunded.v1")]
public sealed record PaymentRefunded(
    [property: Id(0)] decimal Amount) : OrderEvent;
