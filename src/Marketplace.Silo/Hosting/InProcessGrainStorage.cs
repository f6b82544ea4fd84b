using System.Collections.Concurrent;
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
public sealed class InProcessGrainStorage(string name, DeepCopier copier, IActivatorProvider activators, IOptions<ClusterOptions> cluster)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly ConcurrentDictionary<Key, Entry> Store = new();
    private static long lastETag;
    private volatile bool stopped;
    private string? prefix;

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
            grainState.State = copier.Copy((T)entry.State);
            grainState.ETag = entry.ETag;
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
        var written = new Entry(copier.Copy(grainState.State)!, NextETag());
        Swap(KeyOf(stateName, grainId), grainState.ETag, written);
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
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
        var swapped = Store.TryGetValue(key, out var current)
            ? current.ETag == expectedETag && (replacement is null
                ? Store.TryRemove(new KeyValuePair<Key, Entry>(key, current))
                : Store.TryUpdate(key, replacement, current))
            : expectedETag is null && (replacement is null || Store.TryAdd(key, replacement));
        if (!swapped)
        {
            throw new InconsistentStateException($"The state of {key} changed since it was read.", current?.ETag ?? "none", expectedETag ?? "none");
        }
    }

    /// <summary>Every state of a service held by one storage provider, by state name (for size reports).</summary>
    public static IEnumerable<(string StateName, object State)> StatesOf(string serviceId, string storageName)
    {
        var prefix = PrefixOf(serviceId, storageName);
        foreach (var (key, entry) in Store)
        {
            if (key.Prefix == prefix)
            {
                yield return (key.StateName, entry.State);
            }
        }
    }

    /// <summary>Drops every state of a service: a benchmark that starts another service in this process starts from empty memory.</summary>
    public static void Forget(string serviceId)
    {
        foreach (var key in Store.Keys.Where(k => k.Prefix.StartsWith(serviceId + "/", StringComparison.Ordinal)))
        {
            Store.TryRemove(key, out _);
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

    private static string NextETag() => Interlocked.Increment(ref lastETag).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Entry(object State, string ETag);

    private readonly record struct Key(string Prefix, string StateName, GrainId GrainId)
    {
        public override string ToString() => $"{Prefix}{StateName}/{GrainId}";
    }
}
