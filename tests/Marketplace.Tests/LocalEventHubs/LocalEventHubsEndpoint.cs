using Marketplace.LocalEventHubs;
using Marketplace.LocalEventHubs.Configuration;

namespace Marketplace.Tests.LocalEventHubs;

/// <summary>Our Event Hubs endpoint in the test process, on a free port, its logs in a fresh folder.</summary>
public sealed class LocalEventHubsEndpoint : IAsyncLifetime, IAsyncDisposable
{
    public const string Hub = "contract";
    public const string ConsumerGroup = "readers";
    public const int Partitions = 4;

    private LocalEventHubsServer? server;

    public LocalEventHubsEndpoint()
        : this([new HubDefinition(Hub, Partitions, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { HubDefinition.DefaultConsumerGroup, ConsumerGroup })])
    {
    }

    private LocalEventHubsEndpoint(IReadOnlyList<HubDefinition> hubs) => Options = new LocalEventHubsOptions
    {
        Port = Ports.Free(),
        DataDirectory = Path.Combine(Path.GetTempPath(), "local-eventhubs-tests", Guid.NewGuid().ToString("N")),
        Hubs = hubs,
    };

    public LocalEventHubsOptions Options { get; }

    /// <summary>An endpoint with these hubs (not started: call <see cref="InitializeAsync"/>).</summary>
    public static LocalEventHubsEndpoint With(params HubDefinition[] hubs) => new(hubs);

    /// <summary>The marketplace's hub as infra/local/Config.json declares it, with this many partitions.</summary>
    public static HubDefinition MarketplaceHub(int partitions) =>
        new("marketplace-events", partitions, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { HubDefinition.DefaultConsumerGroup, "orleans-silos" });

    public string ConnectionString => Options.ConnectionString;

    public Task InitializeAsync()
    {
        server = LocalEventHubsServer.Start(Options);
        return Task.CompletedTask;
    }

    /// <summary>Stops the endpoint (connections dropped, logs closed) and starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await server!.DisposeAsync();
        server = LocalEventHubsServer.Start(Options);
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        try
        {
            Directory.Delete(Options.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a reader still closing; the temp folder is cleaned by the OS
        }
    }
}
