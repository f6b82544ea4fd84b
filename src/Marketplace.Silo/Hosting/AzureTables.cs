using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// Azure Table storage for grain state, membership and stream checkpoints: by connection string (Azurite, or a key
/// for a quick trial) or by endpoint and Entra ID through <see cref="DefaultAzureCredential"/>
/// (Azure: managed identity, no keys anywhere). Which one is configuration only.
/// </summary>
public sealed class AzureTables
{
    /// <summary>Tables of the marketplace (section <c>Marketplace:Tables</c>).</summary>
    public sealed class Names
    {
        public const string Section = "Marketplace:Tables";

        public string GrainState { get; set; } = "MarketplaceState";

        public string Membership { get; set; } = "OrleansSiloInstances";

        /// <summary>Event Hubs read positions, one row per partition.</summary>
        public string Checkpoints { get; set; } = "MarketplaceCheckpoints";

        /// <summary>Orleans reminders: the wake-up of every order not yet concluded.</summary>
        public string Reminders { get; set; } = "MarketplaceReminders";
    }

    private AzureTables(TableServiceClient client, Names names) => (Client, TableNames) = (client, names);

    public TableServiceClient Client { get; }

    public Names TableNames { get; }

    public static AzureTables From(IConfiguration configuration)
    {
        var names = configuration.GetSection(Names.Section).Get<Names>() ?? new Names();
        if (configuration.GetConnectionString("Tables") is { Length: > 0 } connectionString)
        {
            return new AzureTables(new TableServiceClient(connectionString), names);
        }

        if (configuration[AzureSettings.TableEndpoint] is { Length: > 0 } endpoint)
        {
            return new AzureTables(new TableServiceClient(new Uri(endpoint), Credential(configuration)), names);
        }

        throw new InvalidOperationException(
            "Azure Table storage is selected but not configured: set ConnectionStrings:Tables " +
            "(Azurite: UseDevelopmentStorage=true) or Azure:TableEndpoint (with a managed identity).");
    }

    /// <summary>The managed identity named by <c>AZURE_CLIENT_ID</c>, or whatever the environment offers.</summary>
    public static TokenCredential Credential(IConfiguration configuration) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration[AzureSettings.ManagedIdentityClientId] });
}

public static class AzureTablesRegistration
{
    /// <summary>One <see cref="AzureTables"/> (and so one client) per silo, shared by storage, membership and checkpoints.</summary>
    public static ISiloBuilder AddAzureTables(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddAzureTables(configuration);
        return silo;
    }

    public static IServiceCollection AddAzureTables(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => AzureTables.From(configuration));
        return services;
    }
}
