using System.Threading.RateLimiting;
using Marketplace.Contracts.RateLimits;

namespace Marketplace.Silo.Security;

/// <summary>
/// ASP.NET Core's rate limiting with the count kept in the cluster (<see cref="IRateLimitGrain"/>,
/// one per caller) rather than in this process: every host answers a caller from one window.
/// </summary>
public sealed class ClusterWindowLimiter(IRateLimitGrain window, OrderRateLimitOptions limits, TimeProvider clock) : RateLimiter
{
    private long lastUsed = clock.GetTimestamp();

    public override TimeSpan? IdleDuration => clock.GetElapsedTime(Interlocked.Read(ref lastUsed)); // lets ASP.NET drop it when idle

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>Never at once: the count is in the cluster, so the middleware asks <see cref="AcquireAsyncCore"/>.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.Pending;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref lastUsed, clock.GetTimestamp());
        var decision = await window.TryTakeAsync(limits.PermitLimit, limits.Window).WaitAsync(cancellationToken);
        return decision.Granted ? Lease.Granted : new Lease(false, decision.RetryAfter);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease Pending = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
