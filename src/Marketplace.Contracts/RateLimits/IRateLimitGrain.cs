namespace Marketplace.Contracts.RateLimits;

/// <summary>
/// One caller's fixed window of permits, shared by every host of the cluster (keyed by the caller),
/// so a caller gets the limit once however many API processes answer it.
/// </summary>
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Takes a permit if the current window has one left; else says when the next window opens.</summary>
    Task<RateLimitDecision> TryTakeAsync(int permitLimit, TimeSpan window);
}

/// <param name="RetryAfter">Until the next window, when refused.</param>
[GenerateSerializer, Immutable, Alias("marketplace.rate-limit-decision.v1")]
public sealed record RateLimitDecision([property: Id(0)] bool Granted, [property: Id(1)] TimeSpan RetryAfter);
