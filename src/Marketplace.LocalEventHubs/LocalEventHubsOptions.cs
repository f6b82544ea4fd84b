using Marketplace.LocalEventHubs.Configuration;

namespace Marketplace.LocalEventHubs;

public sealed class LocalEventHubsOptions
{
    /// <summary>The AMQP port; 5672 is what the emulator's connection string reaches without a port.</summary>
    public int Port { get; set; } = 5672;

    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Where each partition's log file lives; it survives restarts.</summary>
    public string DataDirectory { get; set; } = ".local-eventhubs";

    public IReadOnlyList<HubDefinition> Hubs { get; set; } = [];

    /// <summary>The connection string a client uses: the emulator's, with this endpoint's port.</summary>
    public string ConnectionString =>
        $"Endpoint=sb://{Host}:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";
}
