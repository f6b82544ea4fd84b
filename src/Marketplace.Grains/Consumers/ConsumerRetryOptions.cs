namespace Marketplace.Grains.Consumers;

/// <summary>
/// How a consumer retries a handler that fails transiently (<see cref="TransientException"/>),
/// before the failure is handed back to the stream for redelivery. Section: Marketplace:Consumers:Retry.
/// </summary>
public sealed class ConsumerRetryOptions
{
    public const string Section = "Marketplace:Consumers:Retry";

    public int MaxRetryAttempts { get; set; } = 5;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);
}
