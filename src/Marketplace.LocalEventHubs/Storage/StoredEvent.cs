namespace Marketplace.LocalEventHubs.Storage;

/// <summary>Where an event sits in its partition: what the service stamps on it as it is stored.</summary>
public readonly record struct LogPosition(long SequenceNumber, long Offset, DateTime EnqueuedTime);

/// <summary>An event as stored and delivered: the whole AMQP message, the service's annotations already in it.</summary>
public sealed record StoredEvent(LogPosition Position, byte[] Message)
{
    public long SequenceNumber => Position.SequenceNumber;

    public long Offset => Position.Offset;

    public DateTime EnqueuedTime => Position.EnqueuedTime;
}
