using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// What <see cref="InProcessGrainStorage"/> keeps: every state of the host by key, each held as an
/// object or, once the most recently written states exceed the bound, as bytes in a
/// <see cref="SpillFile"/>, with ETags checked as Table storage checks them. One per host (a
/// singleton); the silos of a test cluster share one, as the silos of a service share a real store.
/// </summary>
public sealed class InProcessStateStore : IDisposable
{
    private readonly ConcurrentDictionary<StateKey, Entry> store = new();

    /// <summary>Writes of states held as objects, oldest first; an item is stale once its key holds another write.</summary>
    private readonly ConcurrentQueue<(StateKey Key, long ETag)> writes = new();
    private readonly Lazy<SpillFile> file = new(() => new SpillFile());
    private long inMemoryCount;
    private long queuedWrites;
    private long lastETag;

    private long StatesInMemory => Interlocked.Read(ref inMemoryCount);

    /// <summary>The state under <paramref name="key"/> and its ETag: an object the caller must not share, or the bytes it was spilled as.</summary>
    public bool TryRead(StateKey key, out object? state, out byte[]? bytes, out long etag)
    {
        if (!store.TryGetValue(key, out var entry))
        {
            (state, bytes, etag) = (null, null, 0);
            return false;
        }

        (state, bytes, etag) = (entry.State, entry.State is null ? file.Value.Read(entry.Offset, entry.Length) : null, entry.ETag);
        return true;
    }

    /// <summary>
    /// Replaces the state under <paramref name="key"/> with <paramref name="state"/> (an object no one
    /// else holds) if it is still the one of <paramref name="expectedETag"/>; returns the new ETag.
    /// Then spills the least recently written states beyond <paramref name="statesInMemory"/>.
    /// </summary>
    public long Write(StateKey key, string? expectedETag, object state, long statesInMemory, Serializer serializer)
    {
        var written = Entry.InMemory(state, Interlocked.Increment(ref lastETag));
        Swap(key, expectedETag, written);
        Queue(key, written.ETag);
        SpillOldest(statesInMemory, serializer);
        return written.ETag;
    }

    /// <summary>Removes the state under <paramref name="key"/> if it is still the one of <paramref name="expectedETag"/>.</summary>
    public void Clear(StateKey key, string? expectedETag) => Swap(key, expectedETag, replacement: null);

    /// <summary>Every stored state under a prefix (a service's, one storage provider's): its serialized size, and whether it is held as an object or in the file.</summary>
    public IEnumerable<StoredState> StatesOf(string prefix, Serializer serializer)
    {
        foreach (var (key, entry) in store)
        {
            if (key.Prefix == prefix)
            {
                yield return entry.State is { } state
                    ? new StoredState(key.StateName, key.GrainId, serializer.SerializeToArray<object>(state).Length, InMemory: true)
                    : new StoredState(key.StateName, key.GrainId, entry.Length, InMemory: false);
            }
        }
    }

    public void Dispose()
    {
        if (file.IsValueCreated)
        {
            file.Value.Dispose();
        }
    }

    /// <summary>Replaces (or removes) the entry only if it is still the one the grain read: optimistic concurrency.</summary>
    private void Swap(StateKey key, string? expectedETag, Entry? replacement)
    {
        // Looked at again whenever the entry changed meanwhile: a spill replaces it by one of the same
        // ETag, which is no change to the state (refusing the write then would be a false conflict).
        while (true)
        {
            if (!store.TryGetValue(key, out var current))
            {
                if (expectedETag is not null)
                {
                    throw Conflict(key, current, expectedETag);
                }

                if (replacement is null || store.TryAdd(key, replacement))
                {
                    Counted(null, replacement);
                    return;
                }

                continue; // added meanwhile: a conflict, seen as such on the next look
            }

            if (!long.TryParse(expectedETag, NumberStyles.None, CultureInfo.InvariantCulture, out var expected) || current.ETag != expected)
            {
                throw Conflict(key, current, expectedETag);
            }

            if (replacement is null
                ? store.TryRemove(new KeyValuePair<StateKey, Entry>(key, current))
                : store.TryUpdate(key, replacement, current))
            {
                Counted(current, replacement);
                return;
            }
        }
    }

    private static InconsistentStateException Conflict(StateKey key, Entry? current, string? expectedETag) =>
        new($"The state of {key} changed since it was read.", current?.ETag.ToString(CultureInfo.InvariantCulture) ?? "none", expectedETag ?? "none");

    /// <summary>
    /// While more states than allowed are held as objects, moves the least recently written to the
    /// file. The queue is kept short too: a hot state written over and over leaves stale items.
    /// </summary>
    private void SpillOldest(long limit, Serializer serializer)
    {
        while ((StatesInMemory > limit || Interlocked.Read(ref queuedWrites) > 2L * limit) && writes.TryDequeue(out var oldest))
        {
            Interlocked.Decrement(ref queuedWrites);
            if (!store.TryGetValue(oldest.Key, out var current) || current.ETag != oldest.ETag || current.State is null)
            {
                continue; // written again since, or gone
            }

            if (StatesInMemory <= limit)
            {
                Queue(oldest.Key, oldest.ETag); // only tidying the queue: still wanted in memory
                continue;
            }

            var bytes = serializer.SerializeToArray<object>(current.State);
            var spilled = Entry.Spilled(file.Value.Append(bytes), bytes.Length, current.ETag);
            if (store.TryUpdate(oldest.Key, spilled, current))
            {
                Counted(current, spilled); // else written meanwhile: its new write is queued, these bytes are dead
            }
        }
    }

    private void Queue(StateKey key, long etag)
    {
        writes.Enqueue((key, etag));
        Interlocked.Increment(ref queuedWrites);
    }

    private void Counted(Entry? replaced, Entry? replacement) =>
        Interlocked.Add(ref inMemoryCount, (replacement?.State is null ? 0 : 1) - (replaced?.State is null ? 0 : 1));

    /// <summary>A stored state: the object itself, or where its serialized bytes are in the spill file.</summary>
    private sealed class Entry
    {
        private Entry(object? state, long offset, int length, long etag) => (State, Offset, Length, ETag) = (state, offset, length, etag);

        public object? State { get; }

        public long Offset { get; }

        public int Length { get; }

        public long ETag { get; }

        public static Entry InMemory(object state, long etag) => new(state, 0, 0, etag);

        public static Entry Spilled(long offset, int length, long etag) => new(null, offset, length, etag);
    }
}

/// <summary>
/// A state's key in the store: a key of parts, not one string, as a string would be built for
/// every read and write. <see cref="Prefix"/> names the service and the storage provider.
/// </summary>
public readonly record struct StateKey(string Prefix, string StateName, GrainId GrainId)
{
    public override string ToString() => $"{Prefix}{StateName}/{GrainId}";
}

/// <summary>One state in the embedded store, as a size report sees it.</summary>
public sealed record StoredState(string StateName, GrainId GrainId, long Bytes, bool InMemory);
