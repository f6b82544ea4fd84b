using Marketplace.Grains;
using Marketplace.Grains.Orders;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Marketplace.Tests.Orders;

/// <summary>Grain storage whose write of one order's second event waits for the test, then fails.</summary>
public sealed class GatedOrderWrites(InProcessGrainStorage inner) : IGrainStorage
{
    public static string OrderId { get; } = $"gated-{Guid.NewGuid():N}";

    public static TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TaskCompletionSource FailWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static int gated;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is OrderState { Events.Count: 2 } && grainId.Key.ToString() == OrderId && Interlocked.Exchange(ref gated, 1) == 0)
        {
            WriteStarted.TrySetResult();
            await FailWrite.Task;
            throw new OrleansException("Injected: the journal's write failed.");
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}

public sealed class GatedOrderWritesFixture : ClusterFixture
{
    protected override void Customize(InProcessTestClusterBuilder builder) =>
        builder.ConfigureSilo((_, silo) => silo.Services.AddKeyedSingleton<IGrainStorage>(Storage.Name, (sp, _) =>
            new GatedOrderWrites(ActivatorUtilities.CreateInstance<InProcessGrainStorage>(sp, Storage.Name, new MemoryStorageOptions()))));
}

/// <summary>
/// The live view (<c>IOrderGrain.WaitForEventsAsync</c>, which interleaves with appends) shows only
/// events on record: never one whose write is under way, and so never one a failed write loses.
/// </summary>
public sealed class LiveViewStoredOnlyTests(GatedOrderWritesFixture fixture) : IClassFixture<GatedOrderWritesFixture>
{
    [Fact]
    public async Task An_event_whose_write_is_under_way_or_failed_is_not_shown_and_shows_once_stored()
    {
        var sku = Shop.NewId("SKU");
        await fixture.Shop.AddProductAsync(sku, 2m, 5);
        var order = fixture.Client.GetGrain<IOrderGrain>(GatedOrderWrites.OrderId);
        await fixture.Shop.PlaceAsync(GatedOrderWrites.OrderId, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));

        // The order's second event (payment's or inventory's outcome, whichever comes first) is appended: in memory, its write held.
        await GatedOrderWrites.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(await order.WaitForEventsAsync(1, TimeSpan.FromMilliseconds(300)));

        GatedOrderWrites.FailWrite.TrySetResult(); // the write fails; the consumer retries it
        Assert.Equal(OrderStatus.Fulfilled, (await fixture.Shop.SettledAsync(GatedOrderWrites.OrderId)).Status);
        var shown = await order.WaitForEventsAsync(1, TimeSpan.FromSeconds(1));
        Assert.Equal((await order.GetEventsAsync())[1].EventId, shown[0].EventId); // once stored, shown
    }
}
