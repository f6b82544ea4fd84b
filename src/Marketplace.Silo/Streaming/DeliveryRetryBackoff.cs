using Orleans.Runtime.Providers;

namespace Marketplace.Silo.Streaming;

/// <summary>
/// How soon Orleans delivers a batch again after a consumer failed it. A consumer fails a whole
/// batch only when it cannot commit (its storage, or a deferred effect such as the report's grouped
/// call, is out of reach): a single order's failure is parked inside the consumer instead. Orleans'
/// default waits up to 30 s between attempts, so a consumer would stay idle that long after its
/// dependency came back; this retries within 2 s, for at most Orleans' <c>MaxEventDeliveryTime</c>.
/// </summary>
public sealed class DeliveryRetryBackoff : IMessageDeliveryBackoffProvider
{
    private const double FirstMs = 100, MostMs = 2_000;

    /// <summary>Doubling from 100 ms up to 2 s, with jitter so that consumers failed together do not retry together.</summary>
    public TimeSpan Next(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MostMs, FirstMs * Math.Pow(2, Math.Clamp(attempt, 0, 10))) * (0.5 + (Random.Shared.NextDouble() / 2)));
}
