namespace Marketplace.Tests.LocalEventHubs;

/// <summary>
/// The <c>local</c> profile end to end with no stand-in in the silos: the real Orleans Event Hubs
/// provider (<c>AddEventHubStreams</c>) and the official client talk AMQP to our endpoint; grain
/// state and checkpoints are in Azure Table storage on Azurite.
/// </summary>
public sealed class LocalProfileClusterFixture : AzureTableClusterFixture
{
    private const int Partitions = 4;

    private readonly LocalEventHubsEndpoint endpoint = LocalEventHubsEndpoint.With(LocalEventHubsEndpoint.MarketplaceHub(Partitions));

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        await endpoint.InitializeAsync();
        var settings = await base.SettingsAsync();
        settings["Marketplace:Streams"] = "eventhubs";
        settings["ConnectionStrings:EventHubs"] = endpoint.ConnectionString;
        settings["Marketplace:EventHubs:PartitionCount"] = Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Marketplace:EventHubs:CheckpointInterval"] = "00:00:01";
        settings["Marketplace:Tables:Checkpoints"] = Azurite.NewTableName("checkpoints");
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await endpoint.DisposeAsync();
    }
}
