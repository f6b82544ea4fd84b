using System.Globalization;
using System.Threading.RateLimiting;
using Marketplace.Contracts.RateLimits;

namespace Marketplace.Silo.Security;

/// <summary>
/// How many orders one caller may place per window (section "Marketplace:RateLimits:Orders"). On by
/// default once authentication is on; in <c>none</c> mode callers are only addresses, so it is off
/// unless <see cref="Enabled"/> is set.
/// </summary>
public sealed class OrderRateLimitOptions
{
    public const string Section = "Marketplace:RateLimits:Orders";
    public const string Policy = "orders";

    public bool? Enabled { get; set; }

    public int PermitLimit { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public static class OrderRateLimit
{
    /// <summary>
    /// A fixed window per caller (customer, key or address), counted in the cluster so that it holds
    /// across every host; the one over gets 429 with Retry-After and places nothing.
    /// </summary>
    public static IServiceCollection AddOrderRateLimit(this IServiceCollection services, IConfiguration configuration, bool authenticationOn)
    {
        var limits = configuration.GetSection(OrderRateLimitOptions.Section).Get<OrderRateLimitOptions>() ?? new OrderRateLimitOptions();
        var enabled = limits.Enabled ?? authenticationOn;
        return services.AddRateLimiter(options =>
        {
            options.AddPolicy(OrderRateLimitOptions.Policy, http => enabled
                ? RateLimitPartition.Get(http.RequestServices.GetRequiredService<Caller>().PartitionKey(http), caller => new ClusterWindowLimiter(
                    http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IRateLimitGrain>($"orders/{caller}"), limits, TimeProvider.System))
                : RateLimitPartition.GetNoLimiter("off"));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many orders",
                        Detail = $"At most {limits.PermitLimit} orders per {limits.Window} per caller; try again in {response.Headers.RetryAfter} s. Nothing was placed.",
                    },
                });
            };
        });
    }
}
