using System.Buffers.Binary;
using System.Threading.Channels;

namespace Marketplace.LocalEventHubs.Storage;

/// <summary>
/// One partition: an append-only file of records <c>[length][sequence number][enqueued ticks][message]</c>,
/// the offset of an event being where its record starts. One writer appends and fsyncs whatever has
/// queued up meanwhile in one go (group commit); an event is visible to readers, and its send
/// acknowledged, only once it is on disk. A torn last record (a crash mid-write) is cut off at open;
/// a batch whose write or fsync failed is cut off at once, so the file, the sequence numbers and
/// what readers see never hold an event that was not acknowledged.
/// </summary>
public sealed class PartitionLog : IAsyncDisposable
{
    private const int HeaderSize = sizeof(int) + sizeof(long) + sizeof(long);

    private readonly Stream file;
    private readonly List<StoredEvent> events = [];
    private readonly Channel<Append> appends = Channel.CreateUnbounded<Append>(new UnboundedChannelOptions { SingleReader = true });
    private Task writer = Task.CompletedTask;
    private TaskCompletionSource appended = NewSignal();
    private long nextSequenceNumber;
    private DateTime lastEnqueuedTime = DateTime.MinValue;

    private PartitionLog(Stream file) => this.file = file;

    public static PartitionLog Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return Open(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 64 * 1024));
    }

    /// <summary>A log over any seekable stream it then owns (a file: fsynced on every commit).</summary>
    public static PartitionLog Open(Stream stream)
    {
        var log = new PartitionLog(stream);
        log.Load();
        log.writer = Task.Run(log.WriteAsync);
        return log;
    }

    /// <summary>Events visible to readers (on disk).</summary>
    public int Count
    {
        get
        {
            lock (events)
            {
                return events.Count;
            }
        }
    }

    public StoredEvent? Last
    {
        get
        {
            lock (events)
            {
                return events.Count == 0 ? null : events[^1];
            }
        }
    }

    /// <summary>
    /// Appends events in order, all to this partition; <paramref name="encode"/> makes each one's stored
    /// message once its position is known. Completes when all of them are on disk.
    /// </summary>
    public Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<byte[]> messages, Func<byte[], LogPosition, byte[]> encode)
    {
        var append = new Append(messages, encode);
        ObjectDisposedException.ThrowIf(!appends.Writer.TryWrite(append), this);

        return append.Done.Task;
    }

    /// <summary>Up to <paramref name="max"/> events from index <paramref name="from"/> (index = sequence number).</summary>
    public IReadOnlyList<StoredEvent> Read(long from, int max)
    {
        lock (events)
        {
            if (from >= events.Count)
            {
                return [];
            }

            return events.GetRange((int)from, (int)Math.Min(max, events.Count - from));
        }
    }

    /// <summary>Completes once there are more than <paramref name="known"/> events, or when cancelled.</summary>
    public async Task WaitForMoreThanAsync(long known, CancellationToken cancellationToken)
    {
        Task signal;
        lock (events)
        {
            if (events.Count > known)
            {
                return;
            }

            signal = appended.Task;
        }

        await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The index of the first event that <paramref name="matches"/>, events being ordered by it; <see cref="Count"/> if none.</summary>
    public long FindFirst(Func<StoredEvent, bool> matches)
    {
        lock (events)
        {
            int low = 0, high = events.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (matches(events[middle]))
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            return low;
        }
    }

    public async ValueTask DisposeAsync()
    {
        appends.Writer.TryComplete();
        await writer.ConfigureAwait(false);
        lock (events)
        {
            appended.TrySetResult(); // wake readers; they find nothing new and see the endpoint closing
        }

        await file.DisposeAsync().ConfigureAwait(false);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WriteAsync()
    {
        var reader = appends.Reader;
        List<Append> batch = [];
        List<StoredEvent> written = [];
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            written.Clear();
            while (reader.TryRead(out var append))
            {
                batch.Add(append);
            }

            var start = (Offset: file.Position, Sequence: nextSequenceNumber, Enqueued: lastEnqueuedTime);
            try
            {
                foreach (var append in batch)
                {
                    foreach (var message in append.Messages)
                    {
                        written.Add(Write(message, append.Encode));
                    }
                }

                Commit();
            }
            catch (Exception exception)
            {
                // Nothing of this batch is acknowledged, so none of it may stay: not in the file (a whole
                // batch that failed only its fsync would come back at the next open), not in the counters.
                Exception failure = exception;
                try
                {
                    file.SetLength(start.Offset);
                    file.Position = start.Offset;
                    Commit();
                    (nextSequenceNumber, lastEnqueuedTime) = (start.Sequence, start.Enqueued);
                }
                catch (Exception truncation)
                {
                    // The file is in a state this log cannot vouch for: take no more appends.
                    appends.Writer.TryComplete(truncation);
                    failure = new AggregateException(exception, truncation);
                }

                foreach (var append in batch)
                {
                    append.Done.TrySetException(failure);
                }

                continue;
            }

            TaskCompletionSource signal;
            lock (events)
            {
                events.AddRange(written);
                signal = appended;
                appended = NewSignal();
            }

            signal.TrySetResult();
            var index = 0;
            foreach (var append in batch)
            {
                append.Done.TrySetResult(written.GetRange(index, append.Messages.Count));
                index += append.Messages.Count;
            }
        }
    }

    private void Commit()
    {
        if (file is FileStream onDisk)
        {
            onDisk.Flush(flushToDisk: true);
        }
        else
        {
            file.Flush();
        }
    }

    private StoredEvent Write(byte[] message, Func<byte[], LogPosition, byte[]> encode)
    {
        // Enqueued times never go backwards within a partition, so reads by time can search.
        var now = DateTime.UtcNow;
        lastEnqueuedTime = now > lastEnqueuedTime ? now : lastEnqueuedTime;
        var position = new LogPosition(nextSequenceNumber, file.Position, lastEnqueuedTime);
        var stored = encode(message, position);

        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(header, stored.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[4..], position.SequenceNumber);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], position.EnqueuedTime.Ticks);
        file.Write(header);
        file.Write(stored);
        nextSequenceNumber++;
        return new StoredEvent(position, stored);
    }

    private void Load()
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        long position = 0;
        file.Position = 0;
        while (true)
        {
            if (file.Length - position < HeaderSize)
            {
                break;
            }

            file.ReadExactly(header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length < 0 || file.Length - position - HeaderSize < length)
            {
                break;
            }

            var message = new byte[length];
            file.ReadExactly(message);
            var sequenceNumber = BinaryPrimitives.ReadInt64LittleEndian(header[4..]);
            var enqueued = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(header[12..]), DateTimeKind.Utc);
            events.Add(new StoredEvent(new LogPosition(sequenceNumber, position, enqueued), message));
            position += HeaderSize + length;
        }

        file.SetLength(position); // a torn tail was never acknowledged: drop it
        file.Position = position;
        nextSequenceNumber = events.Count == 0 ? 0 : events[^1].SequenceNumber + 1;
        lastEnqueuedTime = events.Count == 0 ? DateTime.MinValue : events[^1].EnqueuedTime;
    }

    private sealed record Append(IReadOnlyList<byte[]> Messages, Func<byte[], LogPosition, byte[]> Encode)
    {
        public TaskCompletionSource<IReadOnlyList<StoredEvent>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
