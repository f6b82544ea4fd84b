namespace Marketplace.Grains.Consumers;

/// <summary>
/// How a consumer retries an order whose handler fails transiently (see <see cref="Failures"/>)
/// before its event goes to the dead letters. <c>Marketplace:Consumers:Retry</c> sets every
/// consumer, <c>Marketplace:Consumers:{consumer}:Retry</c> one of them. The order is parked
/// meanwhile (its later events wait behind it) and retried from a timer, so the other orders of its
/// shard flow on. The default budget (10 retries, 50 ms doubling up to 5 s, with jitter) rides out
/// about 20 s of trouble, such as a silo leaving.
/// </summary>
public sealed class ConsumerRetryOptions
{
    public const string Section = "Marketplace:Consumers:Retry";

    public int MaxRetryAttempts { get; set; } = 10;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>All attempts of one failure together, from the first failure.</summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Exponential backoff with full jitter on the upper half: many parked orders do not retry in step.</summary>
    public TimeSpan DelayBefore(int retry)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
#pragma warning disable CA5394 // jitter, not security
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
#pragma warning restore CA5394
    }
}
