using Marketplace.LocalEventHubs.Storage;
using Microsoft.Azure.Amqp;

namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>Events in and out of their AMQP form: batches unwrapped, the service's annotations stamped on.</summary>
internal static class EventCodec
{
    /// <summary>The message format of a batch: each Data section of the envelope is a whole encoded event.</summary>
    public const uint BatchFormat = 0x80013700;

    public const string PartitionKey = "x-opt-partition-key";
    public const string SequenceNumber = "x-opt-sequence-number";
    public const string Offset = "x-opt-offset";
    public const string EnqueuedTime = "x-opt-enqueued-time";

    /// <summary>The events a sent message carries (one, or a batch's), each as its encoded bytes, and their partition key.</summary>
    public static (IReadOnlyList<byte[]> Events, string? PartitionKey) Unwrap(AmqpMessage message)
    {
        var partitionKey = message.MessageAnnotations.Map[PartitionKey] as string;
        if (message.MessageFormat == BatchFormat)
        {
            var events = message.DataBody.Select(data => data.Value switch
            {
                ArraySegment<byte> segment => segment.ToArray(),
                byte[] bytes => bytes,
                var other => throw new AmqpException(AmqpErrorCode.DecodeError, $"A batch section holds a {other?.GetType().Name}, not an encoded event."),
            }).ToList();
            return (events, partitionKey);
        }

        using var stream = message.ToStream();
        using var copy = new MemoryStream();
        stream.Position = 0;
        stream.CopyTo(copy);
        return ([copy.ToArray()], partitionKey);
    }

    /// <summary>The event as stored and delivered: as sent, plus where it sits and its partition key.</summary>
    public static byte[] Stamp(byte[] sent, LogPosition position, string? partitionKey)
    {
        using var message = AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([new ArraySegment<byte>(sent)]));
        var annotations = message.MessageAnnotations.Map;
        annotations[SequenceNumber] = position.SequenceNumber;
        annotations[Offset] = position.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture); // text: the client casts it to string
        annotations[EnqueuedTime] = position.EnqueuedTime;
        if (partitionKey is not null)
        {
            annotations[PartitionKey] = partitionKey;
        }

        return [.. message.GetPayload(int.MaxValue, out _).SelectMany(segment => segment)];
    }

    /// <summary>A stored event, sent as its bytes are.</summary>
    public static AmqpMessage ForDelivery(StoredEvent stored) =>
        AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([new ArraySegment<byte>(stored.Message)]), true);
}
