using Marketplace.Silo.Security;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// The settings a silo on Azure is given (infra/modules/silo.bicep), as configuration keys. The
/// code that reads them uses these constants, and a test compares the list with the Bicep, so the
/// deployment and the host cannot drift apart.
/// </summary>
public static class AzureSettings
{
    public const string TableEndpoint = "Azure:TableEndpoint";
    public const string BlobEndpoint = "Azure:BlobEndpoint";
    public const string EventHubsNamespace = "Azure:EventHubsNamespace";

    /// <summary>The user-assigned managed identity to sign in as (Azure SDK convention).</summary>
    public const string ManagedIdentityClientId = "AZURE_CLIENT_ID";

    public const string ApplicationInsights = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// Set by Container Apps in every replica: its name, which begins with its revision's. It names
    /// the silo in membership, so the rollout can tell a new revision's silo from the old one's.
    /// </summary>
    public const string ReplicaName = "CONTAINER_APP_REPLICA_NAME";

    private const string Role = $"{MarketplaceOptions.Section}:{nameof(MarketplaceOptions.Role)}";

    /// <summary>Every key the deployment passes a silo (role <c>silo</c>).</summary>
    public static readonly IReadOnlyList<string> Deployed =
    [
        $"{MarketplaceOptions.Section}:{nameof(MarketplaceOptions.Profile)}",
        Role,
        "ASPNETCORE_HTTP_PORTS", // ASP.NET Core's own: where Kestrel listens (health)
        "Orleans:ClusterId",
        "Orleans:ServiceId",
        "Orleans:AdvertisedIPAddress", // the silo environment's static IP
        "Orleans:SiloPort", // exposed: unique in the environment
        "Orleans:SiloListeningPort", // the target port behind it
        "Orleans:GatewayPort",
        "Orleans:GatewayListeningPort",
        ManagedIdentityClientId,
        TableEndpoint,
        BlobEndpoint,
        $"{AzureTables.Names.Section}:{nameof(AzureTables.Names.GrainState)}",
        $"{AzureTables.Names.Section}:{nameof(AzureTables.Names.Membership)}",
        $"{AzureTables.Names.Section}:{nameof(AzureTables.Names.Checkpoints)}",
        $"{AzureTables.Names.Section}:{nameof(AzureTables.Names.Reminders)}",
        EventHubsNamespace,
        $"{EventHubSettings.Section}:{nameof(EventHubSettings.Hub)}",
        $"{EventHubSettings.Section}:{nameof(EventHubSettings.ConsumerGroup)}",
        $"{AuthOptions.Section}:{nameof(AuthOptions.Entra)}:{nameof(EntraOptions.TenantId)}",
        $"{AuthOptions.Section}:{nameof(AuthOptions.Entra)}:{nameof(EntraOptions.Audience)}",
        ApplicationInsights,
    ];

    /// <summary>Every key the deployment passes the public API app (role <c>api</c>: an Orleans client).</summary>
    public static readonly IReadOnlyList<string> DeployedToApi =
    [
        $"{MarketplaceOptions.Section}:{nameof(MarketplaceOptions.Profile)}",
        Role,
        "ASPNETCORE_HTTP_PORTS",
        "Orleans:ClusterId",
        "Orleans:ServiceId",
        ManagedIdentityClientId,
        TableEndpoint, // the membership table: where the silos' gateways are listed
        $"{AzureTables.Names.Section}:{nameof(AzureTables.Names.Membership)}",
        $"{AuthOptions.Section}:{nameof(AuthOptions.Entra)}:{nameof(EntraOptions.TenantId)}",
        $"{AuthOptions.Section}:{nameof(AuthOptions.Entra)}:{nameof(EntraOptions.Audience)}",
        ApplicationInsights,
    ];
}
