using System.Text.Json;
using Marketplace.Silo.Hosting;

namespace Marketplace.Tests.Deployment;

/// <summary>
/// infra/ checked offline, as CI can: it builds and lints with no diagnostic at all (bicepconfig.json
/// makes the linter's rules errors), it gives the silos exactly the settings the azure profile reads,
/// and it keeps the promises the README makes (no keys, one replica per silo, probes).
/// </summary>
public sealed class InfrastructureTests
{
    [Fact]
    public void Bicep_lints_without_a_warning()
    {
        var (exitCode, output, errors) = Bicep.Run("lint", Bicep.MainFile);

        Assert.True(exitCode == 0 && errors.Length == 0 && output.Trim().Length == 0, $"bicep lint ({exitCode}):\n{output}\n{errors}");
    }

    [Fact]
    public void The_settings_the_bicep_gives_every_silo_are_the_ones_the_azure_profile_reads()
    {
        var passed = SiloSettings().Keys.Select(name => name.Replace("__", ":", StringComparison.Ordinal)).Order().ToList();

        Assert.Equal(AzureSettings.Deployed.Order(), passed);
        Assert.Equal("'azure'", SiloSettings()["Marketplace__Profile"]);
    }

    [Fact]
    public void Silos_are_container_apps_with_exactly_one_replica_health_probes_and_private_silo_ports()
    {
        var app = Assert.Single(Bicep.Resources("Microsoft.App/containerApps"));
        var properties = app.GetProperty("properties");
        var scale = properties.GetProperty("template").GetProperty("scale");
        Assert.Equal((1, 1), (scale.GetProperty("minReplicas").GetInt32(), scale.GetProperty("maxReplicas").GetInt32()));

        var ingress = properties.GetProperty("configuration").GetProperty("ingress");
        Assert.True(ingress.GetProperty("external").GetBoolean());
        var ports = ingress.GetProperty("additionalPortMappings").EnumerateArray().ToList();
        Assert.Equal(2, ports.Count);
        Assert.All(ports, p => Assert.False(p.GetProperty("external").GetBoolean()));

        var probes = Bicep.Template.GetRawText();
        Assert.Contains("/health/live", probes, StringComparison.Ordinal);
        Assert.Contains("/health/ready", probes, StringComparison.Ordinal);
    }

    [Fact]
    public void No_keys_anywhere_storage_and_event_hubs_take_entra_id_only_and_the_identity_has_its_roles()
    {
        var storage = Assert.Single(Bicep.Resources("Microsoft.Storage/storageAccounts"));
        Assert.False(storage.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        var eventHubs = Assert.Single(Bicep.Resources("Microsoft.EventHub/namespaces"));
        Assert.True(eventHubs.GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
        var registry = Assert.Single(Bicep.Resources("Microsoft.ContainerRegistry/registries"));
        Assert.False(registry.GetProperty("properties").GetProperty("adminUserEnabled").GetBoolean());

        // Role ids are variables of the modules, so look for them in the template around the assignments.
        Assert.Equal(3, Bicep.Resources("Microsoft.Authorization/roleAssignments").Count); // registry, hub and storage (loops of two)
        var template = Bicep.Template.GetRawText();
        string[] expected =
        [
            "7f951dda-4ed3-4680-a7ca-43fe172d538d", // AcrPull
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor (partition leases)
            "2b629674-e913-4c01-ae53-ef4638d8f975", // Azure Event Hubs Data Sender
            "a638d3c7-ab3a-418d-83e6-5f17a39d4fde", // Azure Event Hubs Data Receiver
        ];
        Assert.All(expected, role => Assert.Contains(role, template, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_parameter_azd_passes_is_one_main_bicep_declares_and_every_required_one_is_passed()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "infra", "main.parameters.json")));
        var passed = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        var declared = Bicep.Template.GetProperty("parameters").EnumerateObject().ToList();

        Assert.Subset(declared.Select(p => p.Name).ToHashSet(), passed);
        Assert.All(declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)), p => Assert.Contains(p.Name, passed));
    }

    [Fact]
    public void Azure_yaml_deploys_the_silo_project_and_its_hooks_exist()
    {
        var root = Azurite.RepoRoot();
        var yaml = File.ReadAllText(Path.Combine(root, "azure.yaml"));

        Assert.Contains("project: ./src/Marketplace.Silo", yaml, StringComparison.Ordinal);
        Assert.Contains("host: containerapp", yaml, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "src", "Marketplace.Silo", "Marketplace.Silo.csproj")));
        Assert.True(File.Exists(Path.Combine(root, "infra", "scripts", "roll-silos.sh")));
        Assert.True(File.Exists(Path.Combine(root, "infra", "scripts", "roll-silos.ps1")));
        // azd finds the app it deploys to by this tag, and the hook reads this output.
        Assert.Contains("'azd-service-name': serviceTag", File.ReadAllText(Path.Combine(root, "infra", "modules", "silo.bicep")), StringComparison.Ordinal);
        Assert.True(Bicep.Template.GetProperty("outputs").TryGetProperty("MARKETPLACE_SILO_APPS", out _));
        Assert.True(Bicep.Template.GetProperty("outputs").TryGetProperty("AZURE_CONTAINER_REGISTRY_ENDPOINT", out _));

        // The rollout hook is the project's (it runs from the repository root, where its path points;
        // a service's hooks run from the service's folder), and provisioning changes one silo at a time.
        Assert.Matches(@"(?m)^hooks:\s*\n\s+postdeploy:", yaml);
        Assert.DoesNotMatch(@"(?m)^\s{4}hooks:", yaml);
        var silos = Assert.Single(Bicep.Resources("Microsoft.Resources/deployments"),
            r => r.TryGetProperty("copy", out var copy) && copy.GetProperty("name").GetString() == "silos");
        Assert.Equal(("serial", 1), (silos.GetProperty("copy").GetProperty("mode").GetString(), silos.GetProperty("copy").GetProperty("batchSize").GetInt32()));
    }

    /// <summary>The silo container's environment: name → value (an ARM expression or a literal).</summary>
    private static Dictionary<string, string> SiloSettings()
    {
        var app = Assert.Single(Bicep.Resources("Microsoft.App/containerApps"));
        var container = Assert.Single(app.GetProperty("properties").GetProperty("template").GetProperty("containers").EnumerateArray());
        return container.GetProperty("env").EnumerateArray().ToDictionary(
            e => e.GetProperty("name").GetString()!,
            e => e.GetProperty("value").ValueKind == JsonValueKind.String ? $"'{e.GetProperty("value").GetString()}'" : e.GetProperty("value").GetRawText());
    }
}
