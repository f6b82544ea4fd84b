using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// The embedded profile's grain storage: states held in this process (<see cref="InProcessStateStore"/>),
/// copied in and out (a grain never shares an object with the store), with ETags checked as Table
/// storage checks them. Orleans' own memory storage keeps states in storage grains, which costs a
/// grain call and a serialization round trip per read and write: a third of the CPU of an order in
/// the load test (see README, Performance). Nothing survives the process.
/// </summary>
/// <remarks>
/// Memory stays flat however many orders a long run places: the most recently written states
/// (<see cref="MemoryStorageOptions.StatesInMemory"/>) are kept as objects, the ones nobody wrote
/// since are serialized to a temporary file and read back from it. An order's journal is written a
/// few times within a second and then rarely read again, so it is written to the file once; a hot
/// product or a consumer shard never leaves memory.
/// </remarks>
public sealed class InProcessGrainStorage(
    string name, InProcessStateStore store, Serializer serializer, DeepCopier copier, IActivatorProvider activators, IOptions<ClusterOptions> cluster, MemoryStorageOptions options)
    : IGrainStorage
{
    private string? prefix;

    /// <summary>The prefix of every key of one service's states in one storage provider.</summary>
    public static string PrefixOf(string serviceId, string storageName) => $"{serviceId}/{storageName}/";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.TryRead(KeyOf(stateName, grainId), out var state, out var bytes, out var etag))
        {
            grainState.State = state is not null ? copier.Copy((T)state) : (T)serializer.Deserialize<object>(bytes!)!;
            grainState.ETag = etag.ToString(CultureInfo.InvariantCulture);
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
        var etag = store.Write(KeyOf(stateName, grainId), grainState.ETag, copier.Copy(grainState.State)!, options.StatesInMemory, serializer);
        grainState.ETag = etag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.Clear(KeyOf(stateName, grainId), grainState.ETag);
        grainState.State = activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private StateKey KeyOf(string stateName, GrainId grainId) => new(prefix ??= PrefixOf(cluster.Value.ServiceId, name), stateName, grainId);
}
