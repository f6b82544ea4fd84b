using Marketplace.Grains.Catalog;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Marketplace.Tests.GrainStorage;

/// <summary>The embedded profile's storage keeps the promises of a real store: copies, ETags, fresh reads.</summary>
public sealed class InProcessGrainStorageTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(Marketplace.Grains.Storage.Name);

    private static GrainId NewId() => GrainId.Create("product", Shop.NewId("SKU"));

    [Fact]
    public async Task A_write_over_a_state_someone_else_changed_is_refused_and_changes_nothing()
    {
        var id = NewId();
        var first = new GrainState<ProductState>(new ProductState());
        var second = new GrainState<ProductState>(new ProductState());
        await Storage.ReadStateAsync("product", id, first);
        await Storage.ReadStateAsync("product", id, second);

        first.State!.Available = 5;
        await Storage.WriteStateAsync("product", id, first);
        second.State!.Available = 7;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("product", id, second));

        var reread = new GrainState<ProductState>(new ProductState());
        await Storage.ReadStateAsync("product", id, reread);
        Assert.Equal((5, first.ETag, true), (reread.State!.Available, reread.ETag, reread.RecordExists));
    }

    [Fact]
    public async Task What_is_stored_is_a_copy_and_a_read_of_nothing_gives_a_fresh_state()
    {
        var id = NewId();
        var state = new GrainState<ProductState>(new ProductState());
        await Storage.ReadStateAsync("product", id, state);
        state.State!.Available = 3;
        await Storage.WriteStateAsync("product", id, state);
        state.State!.Available = 99; // changed in memory, never written

        var reread = new GrainState<ProductState>(new ProductState());
        await Storage.ReadStateAsync("product", id, reread);
        Assert.Equal(3, reread.State!.Available);

        var unwritten = new GrainState<ProductState>(new ProductState { Available = 42 });
        await Storage.ReadStateAsync("product", NewId(), unwritten);
        Assert.Equal((0, false, null), (unwritten.State!.Available, unwritten.RecordExists, unwritten.ETag));
    }

    [Fact]
    public async Task States_beyond_the_memory_bound_go_to_the_file_and_keep_their_promises()
    {
        // A store of its own name (its own keys), holding two states as objects.
        var name = $"spill-{Guid.NewGuid():N}";
        var services = fixture.Cluster.GetSiloServiceProvider();
        var storage = ActivatorUtilities.CreateInstance<InProcessGrainStorage>(services, name, new MemoryStorageOptions { StatesInMemory = 2 });
        var ids = Enumerable.Range(0, 6).Select(_ => NewId()).ToList();
        var etags = new List<string?>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            // Large enough that the file's gathering block fills: some states are read back from the disk.
            var state = new GrainState<ProductState>(new ProductState { Name = $"Mug {i} {new string('x', 400_000)}", Available = i, Reservations = ImmutableDictionary<string, Reservation>.Empty.SetItem($"order-{i}", new Reservation(i, ReservationStatus.Held)) });
            await storage.WriteStateAsync("product", id, state);
            etags.Add(state.ETag);
        }

        // The first written were moved to the file (later writes of other tests may move more).
        var stored = services.GetRequiredService<InProcessStateStore>().StatesOf(InProcessGrainStorage.PrefixOf(services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, name), services.GetRequiredService<Serializer>()).ToDictionary(s => s.GrainId);
        Assert.Equal(6, stored.Count);
        Assert.All(ids.Take(4), id => Assert.False(stored[id].InMemory));
        Assert.All(stored.Values, s => Assert.True(s.Bytes > 0));

        // Read back whole, with the ETag of their write.
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var read = new GrainState<ProductState>(new ProductState());
            await storage.ReadStateAsync("product", id, read);
            Assert.Equal(($"Mug {i} {new string('x', 400_000)}", i, etags[i], true), (read.State!.Name, read.State.Available, read.ETag, read.RecordExists));
            Assert.Equal(new Reservation(i, ReservationStatus.Held), read.State.Reservations[$"order-{i}"]);
        }

        // A spilled state is still guarded by its ETag, and written over or cleared like any other.
        var wrong = new GrainState<ProductState>(new ProductState { Available = 50 }) { ETag = etags[1] };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("product", ids[0], wrong));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("product", ids[0], new GrainState<ProductState>(new ProductState())));
        var current = new GrainState<ProductState>(new ProductState());
        await storage.ReadStateAsync("product", ids[0], current);
        current.State!.Available = 70;
        await storage.WriteStateAsync("product", ids[0], current);
        var reread = new GrainState<ProductState>(new ProductState());
        await storage.ReadStateAsync("product", ids[0], reread);
        Assert.Equal((70, current.ETag), (reread.State!.Available, reread.ETag));

        var cleared = new GrainState<ProductState>(new ProductState());
        await storage.ReadStateAsync("product", ids[1], cleared);
        await storage.ClearStateAsync("product", ids[1], cleared);
        var gone = new GrainState<ProductState>(new ProductState());
        await storage.ReadStateAsync("product", ids[1], gone);
        Assert.Equal((0, false), (gone.State!.Available, gone.RecordExists));
    }

    [Fact]
    public async Task A_state_moved_to_the_file_while_its_grain_writes_it_is_no_conflict()
    {
        // One state held as an object: every write moves another to the file, so each writer's
        // read-compare-replace races the moves of its own state (a 200,000-order run met this once).
        const int Writes = 10_000;
        var storage = ActivatorUtilities.CreateInstance<InProcessGrainStorage>(
            fixture.Cluster.GetSiloServiceProvider(), $"race-{Guid.NewGuid():N}", new MemoryStorageOptions { StatesInMemory = 1 });
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var id = NewId();
            var state = new GrainState<ProductState>(new ProductState());
            for (var i = 1; i <= Writes; i++)
            {
                state.State!.Available = i;
                await storage.WriteStateAsync("product", id, state); // the only writer of its state: never a conflict
            }

            var read = new GrainState<ProductState>(new ProductState());
            await storage.ReadStateAsync("product", id, read);
            return (read.State!.Available, read.ETag == state.ETag);
        }));

        Assert.All(await Task.WhenAll(writers), written => Assert.Equal((Writes, true), written));
    }
}
