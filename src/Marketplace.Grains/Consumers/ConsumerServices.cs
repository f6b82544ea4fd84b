using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Marketplace.Grains.Consumers;

/// <summary>What every consumer needs from the silo, in one constructor parameter (a new consumer passes it to its base).</summary>
public sealed class ConsumerServices(
    TimeProvider clock,
    MarketplaceMetrics metrics,
    ILoggerFactory loggers,
    ConsumerCatalog catalog,
    IOptionsMonitor<ConsumerRetryOptions> retry,
    IOptions<ConsumerOptions> options,
    DeepCopier copier,
    IEnumerable<IEventHandlingFilter> filters)
{
    public TimeProvider Clock => clock;

    public MarketplaceMetrics Metrics => metrics;

    public ILoggerFactory Loggers => loggers;

    public ConsumerCatalog Catalog => catalog;

    public ConsumerOptions Options => options.Value;

    public DeepCopier Copier => copier;

    /// <summary>Run before each handling attempt, in order; none unless faults are configured.</summary>
    public IEventHandlingFilter[] Filters { get; } = [.. filters];

    public ConsumerRetryOptions RetryOf(string consumer) => retry.Get(consumer);
}
