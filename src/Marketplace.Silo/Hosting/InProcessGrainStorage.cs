using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// The embedded profile's grain storage: states held in this process, copied in and out (a grain
/// never shares an object with the store), with ETags checked as Table storage checks them.
/// Orleans' own memory storage keeps states in storage grains, which costs a grain call and a
/// serialization round trip per read and write: a third of the CPU of an order in the load test
/// (see README, Performance). Silos of one process (test clusters) share the store per service id, so
/// a grain that moves to another silo, or outlives a killed one, finds its state as it would in a
/// real store. Nothing survives the process. A silo that is stopping (or killed, in a test) can no
/// longer reach the store, as a dead process could not reach a real one: without that, its
/// leftover activations would keep writing under the feet of their successors.
/// </summary>
/// <remarks>
/// Memory stays flat however many orders a long run places: the most recently written states
/// (<see cref="MemoryStorageOptions.StatesInMemory"/>) are kept as objects, the ones nobody wrote
/// since are serialized to a temporary file (<see cref="SpillFile"/>) and read back from it. An
/// order's journal is written a few times within a second and then rarely read again, so it is
/// written to the file once; a hot product or a consumer shard never leaves memory.
/// </remarks>
public sealed class InProcessGrainStorage(
    string name, Serializer serializer, DeepCopier copier, IActivatorProvider activators, IOptions<ClusterOptions> cluster, MemoryStorageOptions options)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly ConcurrentDictionary<Key, Entry> Store = new();

    /// <summary>Writes of states held as objects, oldest first; an item is stale once its key holds another write.</summary>
    private static readonly ConcurrentQueue<(Key Key, long ETag)> Writes = new();
    private static readonly Lazy<SpillFile> File = new(() => new SpillFile());
    private static long inMemoryCount;
    private static long queuedWrites;
    private static long lastETag;
    private volatile bool stopped;
    private string? prefix;

    /// <summary>States of every service in this process held as objects, the rest being in the spill file.</summary>
    private static long StatesInMemory => Interlocked.Read(ref inMemoryCount);

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(InProcessGrainStorage), ServiceLifecycleStage.Last, _ => Task.CompletedTask, _ =>
        {
            stopped = true;
            return Task.CompletedTask;
        });

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        EnsureReachable();
        if (Store.TryGetValue(KeyOf(stateName, grainId), out var entry))
        {
            grainState.State = entry.State is { } state ? copier.Copy((T)state) : (T)serializer.Deserialize<object>(File.Value.Read(entry.Offset, entry.Length))!;
            grainState.ETag = entry.ETag.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            // A fresh state, as for a new grain: a re-read drops whatever the grain changed in memory.
            grainState.State = activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        EnsureReachable();
        var key = KeyOf(stateName, grainId);
        var written = Entry.InMemory(copier.Copy(grainState.State)!, Interlocked.Increment(ref lastETag));
        Swap(key, grainState.ETag, written);
        Queue(key, written.ETag);
        grainState.ETag = written.ETag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        SpillOldest();
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        EnsureReachable();
        Swap(KeyOf(stateName, grainId), grainState.ETag, replacement: null);
        grainState.State = activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>Replaces (or removes) the entry only if it is still the one the grain read: optimistic concurrency.</summary>
    private static void Swap(Key key, string? expectedETag, Entry? replacement)
    {
        // Looked at again whenever the entry changed meanwhile: a spill replaces it by one of the same
        // ETag, which is no change to the state (refusing the write then would be a false conflict).
        while (true)
        {
            if (!Store.TryGetValue(key, out var current))
            {
                if (expectedETag is not null)
                {
                    throw Conflict(key, current, expectedETag);
                }

                if (replacement is null || Store.TryAdd(key, replacement))
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
                ? Store.TryRemove(new KeyValuePair<Key, Entry>(key, current))
                : Store.TryUpdate(key, replacement, current))
            {
                Counted(current, replacement);
                return;
            }
        }
    }

    private static InconsistentStateException Conflict(Key key, Entry? current, string? expectedETag) =>
        new($"The state of {key} changed since it was read.", current?.ETag.ToString(CultureInfo.InvariantCulture) ?? "none", expectedETag ?? "none");

    /// <summary>
    /// While more states than allowed are held as objects, moves the least recently written to the
    /// file. The queue is kept short too: a hot state written over and over leaves stale items.
    /// </summary>
    private void SpillOldest()
    {
        var limit = options.StatesInMemory;
        while ((StatesInMemory > limit || Interlocked.Read(ref queuedWrites) > 2L * limit) && Writes.TryDequeue(out var oldest))
        {
            Interlocked.Decrement(ref queuedWrites);
            if (!Store.TryGetValue(oldest.Key, out var current) || current.ETag != oldest.ETag || current.State is null)
            {
                continue; // written again since, or gone
            }

            if (StatesInMemory <= limit)
            {
                Queue(oldest.Key, oldest.ETag); // only tidying the queue: still wanted in memory
                continue;
            }

            var bytes = serializer.SerializeToArray<object>(current.State);
            var spilled = Entry.Spilled(File.Value.Append(bytes), bytes.Length, current.ETag);
            if (Store.TryUpdate(oldest.Key, spilled, current))
            {
                Counted(current, spilled); // else written meanwhile: its new write is queued, these bytes are dead
            }
        }
    }

    private static void Queue(Key key, long etag)
    {
        Writes.Enqueue((key, etag));
        Interlocked.Increment(ref queuedWrites);
    }

    private static void Counted(Entry? replaced, Entry? replacement) =>
        Interlocked.Add(ref inMemoryCount, (replacement?.State is null ? 0 : 1) - (replaced?.State is null ? 0 : 1));

    /// <summary>Every stored state of a service held by one storage provider: its serialized size, and whether it is held as an object or in the file.</summary>
    public static IEnumerable<StoredState> StatesOf(string serviceId, string storageName, Serializer serializer)
    {
        var prefix = PrefixOf(serviceId, storageName);
        foreach (var (key, entry) in Store)
        {
            if (key.Prefix == prefix)
            {
                yield return entry.State is { } state
                    ? new StoredState(key.StateName, key.GrainId, serializer.SerializeToArray<object>(state).Length, InMemory: true)
                    : new StoredState(key.StateName, key.GrainId, entry.Length, InMemory: false);
            }
        }
    }

    /// <summary>Drops every state of a service: a benchmark that starts another service in this process starts from empty memory.</summary>
    public static void Forget(string serviceId)
    {
        foreach (var key in Store.Keys.Where(k => k.Prefix.StartsWith(serviceId + "/", StringComparison.Ordinal)))
        {
            if (Store.TryRemove(key, out var removed))
            {
                Counted(removed, replacement: null);
            }
        }
    }

    private void EnsureReachable()
    {
        if (stopped)
        {
            throw new OrleansException($"Silo stopping: grain storage '{name}' is out of reach.");
        }
    }

    // A key of parts, not one string: a string would be built for every read and write.
    private Key KeyOf(string stateName, GrainId grainId) => new(prefix ??= PrefixOf(cluster.Value.ServiceId, name), stateName, grainId);

    private static string PrefixOf(string serviceId, string storageName) => $"{serviceId}/{storageName}/";

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

    private readonly record struct Key(string Prefix, string StateName, GrainId GrainId)
    {
        public override string ToString() => $"{Prefix}{StateName}/{GrainId}";
    }
}

/// <summary>One state in the embedded store, as a size report sees it.</summary>
public sealed record StoredState(string StateName, GrainId GrainId, long Bytes, bool InMemory);
