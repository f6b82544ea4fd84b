using System.Diagnostics;

namespace Marketplace.Grains;

/// <summary>
/// The marketplace's spans (activity source <c>Marketplace</c>), named and tagged by the OpenTelemetry
/// messaging conventions. An event carries the context of its <c>create</c> span in its envelope
/// (<see cref="OrderEvent.TraceParent"/>), and every consumer's <c>process</c> span is a child of it:
/// one checkout is one trace, from the HTTP request through every consumer.
/// </summary>
public static class MarketplaceTracing
{
    public const string SourceName = "Marketplace";

    /// <summary>The stream provider's transport, as <c>messaging.system</c> names it.</summary>
    public const string MessagingSystem = "orleans";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for the creation of an event (the journal recording it); its id goes into the envelope.</summary>
    public static Activity? StartCreate(string orderId, string streamNamespace, Guid eventId) =>
        Source.HasListeners() ? Start(ActivityKind.Producer, default, "create", orderId, streamNamespace, eventId) : null;

    /// <summary>A consumer handling an event: a child of the event's <c>create</c> span.</summary>
    public static Activity? StartProcess(string consumer, OrderEvent e)
    {
        // Nothing is built for a span nobody collects: this runs for every event and every consumer.
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = ActivityContext.TryParse(e.TraceParent, null, out var context) ? context : default;
        var activity = Start(ActivityKind.Consumer, parent, "process", e.OrderId, e.StreamNamespace, e.EventId);
        activity?.SetTag("messaging.consumer.group.name", consumer);
        return activity;
    }

    private static Activity? Start(ActivityKind kind, ActivityContext parent, string operation, string orderId, string streamNamespace, Guid eventId) =>
        Source.StartActivity(kind, parent, name: $"{operation} {streamNamespace}", tags:
        [
            new("messaging.system", MessagingSystem),
            new("messaging.operation.type", operation),
            new("messaging.destination.name", streamNamespace),
            new("messaging.message.id", eventId.ToString()),
            new("marketplace.order.id", orderId),
        ]);
}
