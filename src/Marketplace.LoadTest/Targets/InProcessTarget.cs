using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Marketplace.Grains;
using Marketplace.LoadTest.Direct;
using Marketplace.LoadTest.Invariants;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Marketplace.LoadTest.Targets;

/// <summary>
/// A one-silo cluster in this process, configured by the host's own code (embedded profile unless
/// settings say otherwise), driven through its grains: what the grains cost without HTTP.
/// </summary>
public sealed class InProcessTarget : IMarketplaceTarget
{
    private readonly IHost host;
    private readonly IGrainFactory grains;
    private readonly bool direct;
    private readonly MeterListener listener;

    private InProcessTarget(IHost host, bool direct, GrainCallCounter grainCalls)
    {
        this.host = host;
        this.direct = direct;
        GrainCalls = grainCalls;
        grains = host.Services.GetRequiredService<IGrainFactory>();
        View = direct ? new GrainView(grains, id => grains.GetGrain<IDirectOrderGrain>(id).GetAsync()) : new GrainView(grains);

        // The product's own instruments report conclusions and handling times.
        listener = MarketplaceInstruments.Listen(
            host.Services.GetRequiredService<IMeterFactory>(),
            (instrument, seconds, tags) =>
            {
                if (instrument == MarketplaceMetrics.OrderDuration)
                {
                    Concluded?.Invoke(TimeSpan.FromSeconds(seconds));
                }
                else
                {
                    ConsumerTimings.Record(MarketplaceInstruments.Tag(tags, "consumer") as string ?? "?", TimeSpan.FromSeconds(seconds));
                }
            },
            MarketplaceMetrics.OrderDuration,
            MarketplaceMetrics.HandlingDuration);
    }

    public string Mode => direct ? "direct" : "event-driven";

    public IMarketplaceView View { get; }

    public ConsumerTimings ConsumerTimings { get; } = new();

    public GrainCallCounter GrainCalls { get; }

    public event Action<TimeSpan>? Concluded;

    /// <param name="settings">Configuration over the embedded defaults, as the host reads it (<c>Marketplace:MemoryStreams:PollPeriod</c>, ...).</param>
    public static async Task<InProcessTarget> StartAsync(bool direct, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Orleans:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        var grainCalls = new GrainCallCounter();
        builder.UseOrleans(silo => silo
            .UseMarketplaceClustering(builder.Configuration)
            .AddMarketplace(builder.Configuration)
            .AddIncomingGrainCallFilter(grainCalls));
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessTarget(host, direct, grainCalls);
    }

    public IReadOnlyDictionary<string, long> LargestStoredStates()
    {
        var serializer = host.Services.GetRequiredService<Orleans.Serialization.Serializer>();
        var serviceId = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        return host.Services.GetRequiredService<InProcessStateStore>().StatesOf(InProcessGrainStorage.PrefixOf(serviceId, Storage.Name), serializer)
            .GroupBy(s => s.StateName, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(s => s.Bytes));
    }

    public async Task UpsertProductAsync(PlannedProduct product) =>
        await grains.GetGrain<IProductGrain>(product.Sku).UpsertAsync(product.Name, product.Price, product.Stock);

    public async Task<string> PlaceAsync(PlannedOrder order, CancellationToken cancellationToken)
    {
        if (!direct)
        {
            Expect(await grains.GetGrain<IOrderGrain>(order.Key).PlaceAsync(order.Command), order);
            return order.Key;
        }

        // The synchronous chain returns when the order is concluded: that is its conclusion.
        var result = Expect(await grains.GetGrain<IDirectOrderGrain>(order.Key).PlaceAsync(order.Command), order);
        Concluded?.Invoke(result.Order!.UpdatedAt - result.Order.PlacedAt);
        return order.Key;
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await host.StopAsync();
        host.Dispose(); // and its states with it

        // The next target in this process is measured on its own memory, not on this one's leftovers.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Placed, or already placed by an attempt whose answer was lost.</summary>
    private static PlaceOrderResult Expect(PlaceOrderResult result, PlannedOrder order) => result.Outcome is PlaceOrderOutcome.Placed or PlaceOrderOutcome.AlreadyPlaced
        ? result
        : throw new InvalidOperationException($"Order {order.Key} was not placed: {result.Outcome}.");

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
