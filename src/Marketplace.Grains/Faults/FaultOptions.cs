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
/// configured. <c>Marketplace:Faults:Default</c> applies to every consumer,
/// <c>Marketplace:Faults:{consumer}</c> to one (it overrides the default), <c>Marketplace:Faults:order</c>
/// to the order journal.
/// </summary>
public sealed class FaultOptions
{
    public const string Section = "Marketplace:Faults";

    /// <summary>Share of handling attempts that fail (0 to 1).</summary>
    public double FailureRate { get; set; }

    public FaultKind Kind { get; set; } = FaultKind.Transient;

    /// <summary>Added before every handling attempt: a slow dependency.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Share of deliveries handed to the consumer a second time, as a redelivering stream would.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>When set, the faults strike these orders only (a poison order); the others are healthy.</summary>
    public List<string> Orders { get; set; } = [];

    /// <summary>Order journal only: share of writes after which the grain "crashes" before publishing.</summary>
    public double CrashBeforePublishRate { get; set; }

    /// <summary>Payment gateway only (<c>Marketplace:Faults:gateway</c>): an order's first this many charge answers are lost after the charge went through.</summary>
    public int LostResponses { get; set; }
}
