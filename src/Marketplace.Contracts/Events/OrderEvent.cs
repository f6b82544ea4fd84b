using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Marketplace.Contracts.Events;

/// <summary>
/// One fact in an order's story. The envelope (every property here) is stamped by the order's
/// journal, the single writer of the order's events, so <see cref="Sequence"/> is gapless per order
/// and <see cref="EventId"/> is the same every time the same event is published again.
/// </summary>
/// <remarks>
/// Wire compatibility: never reuse or renumber an <c>[Id]</c>; a breaking change is a new record with
/// a new <c>[Alias]</c> version beside the old one.
/// </remarks>
[GenerateSerializer, Immutable]
public abstract record OrderEvent
{
    [Id(0)] public Guid EventId { get; init; }
    [Id(1)] public string OrderId { get; init; } = "";
    [Id(2)] public long Sequence { get; init; }
    [Id(3)] public DateTimeOffset OccurredAt { get; init; }
    [Id(4)] public string CorrelationId { get; init; } = "";
    [Id(5)] public Guid? CausationId { get; init; }
    [Id(6)] public string? TraceParent { get; init; }

    /// <summary>
    /// The stream namespaces of the order's earlier events, in sequence order. Streams keep order
    /// within one namespace only; with this a consumer sees that an earlier event it subscribes
    /// to has not reached it yet, and handles that one first (see OrderEventConsumer).
    /// </summary>
    [Id(7)] public ImmutableArray<string> Preceding { get; init; } = [];

    /// <summary>
    /// The stream namespace this kind of event travels on: its versionless name, so every version
    /// of an event shares one namespace (<c>marketplace.order-placed.v1</c> → <c>order-placed</c>).
    /// </summary>
    [JsonIgnore]
    public string StreamNamespace => EventCatalog.NamespaceOf(GetType());

    /// <summary>The event's name without version, as shown in timelines ("OrderPlaced").</summary>
    [JsonIgnore]
    public string TypeName => GetType().Name;
}
