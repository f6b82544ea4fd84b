using System.Globalization;
using System.Text.Json;
using Azure.Messaging.EventHubs;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Marketplace.Silo.Streaming;

/// <summary>
/// Puts events on Event Hubs as plain JSON with CloudEvents attributes (binary content mode:
/// the event is the body, the attributes are application properties), so Azure Functions, Kafka
/// clients on the Kafka endpoint or Stream Analytics read them with no Orleans types. The
/// partition key is the order id, so one order's events share a partition and stay in order.
/// The rest (cache layout, offsets, checkpoints) is the Orleans Event Hubs adapter's own.
/// </summary>
public sealed partial class CloudEventsDataAdapter(Serializer serializer, ILogger<CloudEventsDataAdapter> logger) : EventHubDataAdapter(serializer)
{
    /// <summary>
    /// Where messages we cannot read go: a namespace nobody subscribes to. Throwing instead would
    /// make Orleans drop the whole batch the message arrived in, readable events and all.
    /// </summary>
    public const string Unreadable = "unreadable";

    public const string SpecVersion = "1.0";
    public const string Source = "/marketplace/orders";
    public const string ContentType = "application/json";

    public static class Attributes
    {
        public const string Id = "ce-id";
        public const string Type = "ce-type";
        public const string Source = "ce-source";
        public const string Subject = "ce-subject";
        public const string Time = "ce-time";
        public const string SpecVersion = "ce-specversion";
        public const string TraceParent = "ce-traceparent";
    }

    public override EventData ToQueueMessage<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("Event Hubs streams take no sequence token from producers.", nameof(token));
        }

        // One event per message: each is a CloudEvent of its own, addressable by its id.
        var e = events.Cast<OrderEvent>().Single();
        var data = new EventData(JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), MarketplaceJson.Options)) { ContentType = ContentType };
        data.Properties[Attributes.Id] = e.EventId.ToString();
        data.Properties[Attributes.Type] = EventCatalog.NameOf(e.GetType());
        data.Properties[Attributes.Source] = Source;
        data.Properties[Attributes.Subject] = e.OrderId;
        data.Properties[Attributes.Time] = e.OccurredAt.ToString("O", CultureInfo.InvariantCulture);
        data.Properties[Attributes.SpecVersion] = SpecVersion;
        if (e.TraceParent is { } traceParent)
        {
            data.Properties[Attributes.TraceParent] = traceParent;
        }

        return data;
    }

    /// <summary>The stream is the event type's namespace and the order id (the partition key).</summary>
    public override StreamId GetStreamIdentity(EventData queueMessage)
    {
        if (TypeOf(queueMessage.Properties) is { } name && EventCatalog.TryGetType(name, out _) && queueMessage.PartitionKey is { Length: > 0 } orderId)
        {
            return StreamId.Create(EventCatalog.NamespaceOf(name), orderId);
        }

        LogUnreadable(queueMessage.OffsetString, TypeOf(queueMessage.Properties) ?? "(none)", queueMessage.PartitionKey ?? "(none)");
        return StreamId.Create(Unreadable, queueMessage.PartitionKey ?? queueMessage.OffsetString);
    }

    /// <summary>Tokens carry the hub offset, so delivery progress can move the checkpoint.</summary>
    public override StreamSequenceToken GetSequenceToken(ref CachedMessage cachedMessage) =>
        new EventHubSequenceTokenV2(GetOffset(cachedMessage), cachedMessage.SequenceNumber, 0);

    protected override IBatchContainer GetBatchContainer(EventHubMessage eventHubMessage)
    {
        var token = new EventHubSequenceTokenV2(eventHubMessage.Offset, eventHubMessage.SequenceNumber, 0);
        OrderEvent? e = null;
        if (TypeOf(eventHubMessage.Properties) is { } name && EventCatalog.TryGetType(name, out var type))
        {
            try
            {
                e = (OrderEvent?)JsonSerializer.Deserialize(eventHubMessage.Payload, type, MarketplaceJson.Options);
            }
            catch (JsonException ex)
            {
                LogUnparseable(ex, eventHubMessage.Offset, name);
            }
        }

        // An event that cannot be read is delivered as nothing, so the stream's cursor moves past it.
        return new CloudEventBatchContainer(eventHubMessage.StreamId, e, token);
    }

    private static string? TypeOf(IDictionary<string, object> properties) =>
        properties.TryGetValue(Attributes.Type, out var type) ? type as string : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Event Hubs message at offset {Offset} is not a marketplace event (type {Type}, partition key {PartitionKey}); set aside")]
    private partial void LogUnreadable(string offset, string type, string partitionKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event Hubs message at offset {Offset} of type {Type} has a body that does not parse; set aside")]
    private partial void LogUnparseable(Exception ex, string offset, string type);
}

/// <summary>One event read from the hub, as Orleans delivers it to consumers.</summary>
[GenerateSerializer, Alias("marketplace.cloud-event-batch.v1")]
public sealed class CloudEventBatchContainer(StreamId streamId, OrderEvent? @event, EventHubSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;

    /// <summary>Null when the message could not be read (it is then delivered as nothing).</summary>
    [Id(1)] public OrderEvent? Event { get; } = @event;

    [Id(2)] public EventHubSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Event is T item ? [Tuple.Create(item, (StreamSequenceToken)Token)] : [];

    // The trace context travels in the event's own envelope (TraceParent), not in Orleans' request context.
    public bool ImportRequestContext() => false;
}
