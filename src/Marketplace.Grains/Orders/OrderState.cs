namespace Marketplace.Grains.Orders;

/// <summary>
/// The order is its journal: status, lines and totals are folded from <see cref="Events"/>.
/// Events past <see cref="PublishedSequence"/> are the outbox: written with the state, published after.
/// </summary>
[GenerateSerializer, Alias("marketplace.order-state.v1")]
public sealed class OrderState
{
    [Id(0)] public List<OrderEvent> Events { get; set; } = [];

    /// <summary>Sequence of the last event known to be published; later ones are still owed.</summary>
    [Id(1)] public long PublishedSequence { get; set; }

    /// <summary>Hash of the checkout request, to tell a repeated request from a different one.</summary>
    [Id(2)] public string? RequestFingerprint { get; set; }

    /// <summary>
    /// Every consumer handled the whole concluded story: a later activation (a read) has nothing to
    /// check. Saved lazily, with the publish cursor.
    /// </summary>
    [Id(3)] public bool Delivered { get; set; }
}
