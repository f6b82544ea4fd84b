using Marketplace.Contracts.RateLimits;

namespace Marketplace.Grains.RateLimits;

/// <summary>
/// A caller's window, in memory: nothing to store, as a window lasts a minute. Should the grain's silo
/// die, the caller's count starts again, as it would at the next window.
/// </summary>
[GrainType("rate-limit")]
public sealed class RateLimitGrain(TimeProvider clock) : Grain, IRateLimitGrain
{
    private DateTimeOffset windowStart = DateTimeOffset.MinValue;
    private int taken;

    public Task<RateLimitDecision> TryTakeAsync(int permitLimit, TimeSpan window)
    {
        var now = clock.GetUtcNow();
        if (now - windowStart >= window)
        {
            (windowStart, taken) = (now, 0);
        }

        if (taken < permitLimit)
        {
            taken++;
            return Task.FromResult(new RateLimitDecision(true, TimeSpan.Zero));
        }

        return Task.FromResult(new RateLimitDecision(false, windowStart + window - now));
    }
}
