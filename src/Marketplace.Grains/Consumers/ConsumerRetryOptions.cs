namespace Marketplace.Grains.Consumers;

/// <summary>
/// How a consumer retries a handler that fails transiently (see <see cref="Failures"/>) before the
/// event goes to the dead letters. <c>Marketplace:Consumers:Retry</c> sets every consumer,
/// <c>Marketplace:Consumers:{consumer}:Retry</c> one of them. The default budget (10 retries,
/// 50 ms doubling up to 5 s, with jitter) rides out about 20 s of trouble, such as a silo leaving,
/// while staying well inside a stream delivery's 30 s call timeout.
/// </summary>
public sealed class ConsumerRetryOptions
{
    public const string Section = "Marketplace:Consumers:Retry";

    public int MaxRetryAttempts { get; set; } = 10;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>All attempts of one event together; enforced between attempts.</summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(20);
}
