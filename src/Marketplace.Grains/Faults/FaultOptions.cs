using Microsoft.Extensions.Configuration;

namespace Marketplace.Grains.Faults;

public enum FaultKind
{
    /// <summary>Retried: the same handling may succeed next time.</summary>
    Transient,
    /// <summary>Not retried: the event goes to the dead letters.</summary>
    Permanent,
}

/// <summary>
/// Failures injected on purpose, for tests, chaos runs and the load generator; all off unless
/// configured, and nothing of them is registered then. <c>Marketplace:Faults:Default</c> applies to
/// every name, <c>Marketplace:Faults:{consumer}</c> to one consumer (it overrides the default),
/// <c>Marketplace:Faults:order</c> to the order journal, <c>Marketplace:Faults:streams</c> to the event streams.
/// </summary>
public sealed class FaultOptions
{
    public const string Section = "Marketplace:Faults";

    /// <summary>Whether any fault is configured at start (a reload can change the rates, not add the machinery).</summary>
    public static bool AreConfigured(IConfiguration configuration) => configuration.GetSection(Section).Exists();

    /// <summary>Share of handling attempts that fail (0 to 1).</summary>
    public double FailureRate { get; set; }

    public FaultKind Kind { get; set; } = FaultKind.Transient;

    /// <summary>Added before every handling attempt: a slow dependency.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Streams only: share of publishes the stream carries twice, as a producer's retry after a lost acknowledgement would.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>When set, the faults strike these orders only (a poison order); the others are healthy.</summary>
    public List<string> Orders { get; set; } = [];

    /// <summary>Order journal only: share of its writes of unpublished events after which it "crashes", before publishing them.</summary>
    public double CrashBeforePublishRate { get; set; }

    /// <summary>Payment gateway only (<c>Marketplace:Faults:gateway</c>): an order's first this many charge answers are lost after the charge went through.</summary>
    public int LostResponses { get; set; }
}
