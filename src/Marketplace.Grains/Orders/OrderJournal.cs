using System.Diagnostics;

namespace Marketplace.Grains.Orders;

/// <summary>How an event joins an order's journal, whichever path records it.</summary>
public static class OrderJournal
{
    /// <summary>
    /// Stamps <paramref name="e"/> as the journal's next event: its id (from the order and
    /// sequence, so a repeat is recognisable), time, correlation (the order's first event),
    /// causation, trace, and the namespaces of the events before it (consumers handle an order's
    /// events in sequence with them), and appends it.
    /// </summary>
    public static OrderEvent Append(List<OrderEvent> journal, string orderId, OrderEvent e, Guid? causationId, DateTimeOffset now)
    {
        var sequence = journal.Count + 1;
        var eventId = DeterministicIds.ForEvent(orderId, sequence);
        using var created = MarketplaceTracing.StartCreate(orderId, e.StreamNamespace, eventId);
        var stamped = e with
        {
            EventId = eventId,
            OrderId = orderId,
            Sequence = sequence,
            OccurredAt = now,
            CorrelationId = journal.Count == 0 ? eventId.ToString("N") : journal[0].CorrelationId,
            CausationId = causationId,
            TraceParent = created?.Id ?? Activity.Current?.Id,
            Preceding = NamespacesOf(journal),
        };
        journal.Add(stamped);
        return stamped;
    }

    private static ImmutableArray<string> NamespacesOf(List<OrderEvent> journal)
    {
        var namespaces = ImmutableArray.CreateBuilder<string>(journal.Count);
        foreach (var earlier in journal)
        {
            namespaces.Add(earlier.StreamNamespace);
        }

        return namespaces.MoveToImmutable();
    }
}
