using Marketplace.Silo.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Marketplace.Tests.EventHubs;

/// <summary>
/// The <c>local</c> profile as configured for production: grain state and stream checkpoints in
/// Azure Table storage (Azurite), streams through the Orleans Event Hubs adapter with our
/// CloudEvents data adapter, over an <see cref="InProcessEventHub"/> instead of the network.
/// </summary>
public class EventHubClusterFixture : AzureTableClusterFixture
{
    public const int Partitions = 4;

    public InProcessEventHub Hub { get; } = new(Partitions);

    public string CheckpointTable { get; } = Azurite.NewTableName("checkpoints");

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Streams"] = "eventhubs";
        // Never dialled: the factory below replaces the network client. Orleans insists on a connection.
        settings["ConnectionStrings:EventHubs"] = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";
        settings["Marketplace:EventHubs:CheckpointInterval"] = "00:00:01";
        // Seconds instead of minutes, so checkpoints move (through eviction) within a test.
        settings["Marketplace:EventHubs:CacheMinTime"] = "00:00:01";
        settings["Marketplace:EventHubs:CacheMaxAge"] = "00:00:02";
        settings["Marketplace:EventHubs:StreamInactivityPeriod"] = "00:00:02";
        settings["Marketplace:Tables:Checkpoints"] = CheckpointTable;
        // Partition leases of their own (Azurite's Blob service), lapsing soon after a silo dies.
        settings["Marketplace:EventHubs:LeaseContainer"] = $"leases-{Guid.NewGuid():N}";
        settings["Marketplace:EventHubs:LeaseLength"] = "00:00:15"; // the shortest blob lease
        settings["Marketplace:EventHubs:LeaseRenewPeriod"] = "00:00:01";
        settings["Marketplace:EventHubs:LeaseAcquisitionPeriod"] = "00:00:01";
        return settings;
    }

    protected override void Customize(InProcessTestClusterBuilder builder) => UseInProcessHub(builder, Hub);

    public static void UseInProcessHub(InProcessTestClusterBuilder builder, InProcessEventHub hub)
    {
        builder.ConfigureHost(host => host.Services.AddSingleton(hub));
        builder.ConfigureSilo((_, silo) => FailureReportingAdapterFactory.Register(silo.Services, InProcessEventHubAdapterFactory.Create));
    }
}
