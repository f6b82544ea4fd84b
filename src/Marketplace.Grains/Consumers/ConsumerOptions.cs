namespace Marketplace.Grains.Consumers;

/// <summary>
/// How long consumers keep what they know of an order, and when they go looking for what they lack
/// (section <c>Marketplace:Consumers</c>). See <see cref="Retention"/> for why the window is safe.
/// </summary>
public sealed class ConsumerOptions
{
    public const string Section = "Marketplace:Consumers";

    /// <summary>
    /// A concluded order's record is pruned once the shard's stream of that conclusion has moved
    /// this far past it (stream time: the journal's clock, as delivered, so a stopped cluster
    /// forgets nothing while it is down). Forgetting is safe at any age (a later duplicate meets
    /// the watermark and the journal), so this only buys duplicates recognised without a journal
    /// read, at the price of state: a shard holds about its share of this many seconds of orders.
    /// Much shorter, and a new order's first event, delivered a little after later orders were
    /// forgotten, would cost a journal read.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An open order this consumer has heard nothing of for this long is read from its journal.</summary>
    public TimeSpan CatchUpAfter { get; set; } = TimeSpan.FromSeconds(10);
}
