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
    public void The_settings_the_bicep_gives_the_silos_and_the_api_app_are_the_ones_each_role_reads()
    {
        Assert.Equal(AzureSettings.Deployed.Order(), Settings("silo").Keys.Select(Key).Order());
        Assert.Equal(AzureSettings.DeployedToApi.Order(), Settings("api").Keys.Select(Key).Order());
        Assert.Equal(("'azure'", "'azure'"), (Settings("silo")["Marketplace__Profile"], Settings("api")["Marketplace__Profile"]));

        static string Key(string name) => name.Replace("__", ":", StringComparison.Ordinal);
    }

    [Fact]
    public void Silos_are_single_replica_apps_in_an_internal_vnet_environment_advertising_its_static_ip_and_unique_exposed_ports()
    {
        var properties = App("silo").GetProperty("properties");
        var scale = properties.GetProperty("template").GetProperty("scale");
        Assert.Equal((1, 1), (scale.GetProperty("minReplicas").GetInt32(), scale.GetProperty("maxReplicas").GetInt32()));
        var silos = Assert.Single(Bicep.Resources("Microsoft.Resources/deployments"), d => d.TryGetProperty("copy", out var copy) && copy.GetProperty("name").GetString() == "silos");
        var targets = silos.GetProperty("properties").GetProperty("template").GetProperty("variables");
        Assert.Equal((11111, 30000), (targets.GetProperty("siloTargetPort").GetInt32(), targets.GetProperty("gatewayTargetPort").GetInt32()));

        // App-level TCP ingress at the environment's edge: silo port and gateway port, exposed as given, on the fixed targets.
        var ingress = properties.GetProperty("configuration").GetProperty("ingress");
        Assert.Equal((true, "tcp", "[variables('siloTargetPort')]", "[parameters('siloPort')]"),
            (ingress.GetProperty("external").GetBoolean(), ingress.GetProperty("transport").GetString(), ingress.GetProperty("targetPort").GetString(), ingress.GetProperty("exposedPort").GetString()));
        var gateway = Assert.Single(ingress.GetProperty("additionalPortMappings").EnumerateArray());
        Assert.Equal((true, "[variables('gatewayTargetPort')]", "[parameters('gatewayPort')]"),
            (gateway.GetProperty("external").GetBoolean(), gateway.GetProperty("targetPort").GetString(), gateway.GetProperty("exposedPort").GetString()));

        // Each silo advertises those exposed ports at the environment's static IP, and listens on the targets.
        var settings = Settings("silo");
        Assert.Equal(("[parameters('advertisedAddress')]", "[string(parameters('siloPort'))]", "[string(variables('siloTargetPort'))]", "[string(parameters('gatewayPort'))]", "[string(variables('gatewayTargetPort'))]"),
            (settings["Orleans__AdvertisedIPAddress"], settings["Orleans__SiloPort"], settings["Orleans__SiloListeningPort"], settings["Orleans__GatewayPort"], settings["Orleans__GatewayListeningPort"]));
        var parameters = silos.GetProperty("properties").GetProperty("parameters");
        Assert.Contains("outputs.staticIp", Value(parameters, "advertisedAddress"), StringComparison.Ordinal);
        Assert.StartsWith("[add(11111, ", Value(parameters, "siloPort"), StringComparison.Ordinal); // 11111 + i: unique per silo
        Assert.StartsWith("[add(30000, ", Value(parameters, "gatewayPort"), StringComparison.Ordinal);
        Assert.Contains("copyIndex()", Value(parameters, "siloPort"), StringComparison.Ordinal);
        Assert.Contains("copyIndex()", Value(parameters, "gatewayPort"), StringComparison.Ordinal);

        // The silos' environment is internal, in a subnet of the VNet; the API's is public, in another.
        Assert.Equal((true, "siloSubnetId"), Environment("environment"));
        Assert.Equal((false, "apiSubnetId"), Environment("api-environment"));
        var network = Assert.Single(Bicep.Resources("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "network").GetProperty("properties").GetProperty("template");
        var vnet = Assert.Single(Bicep.Resources("Microsoft.Network/virtualNetworks"));
        Assert.Equal(["silos", "api"], vnet.GetProperty("properties").GetProperty("subnets").EnumerateArray().Select(subnet => subnet.GetProperty("name").GetString()));
        Assert.All(vnet.GetProperty("properties").GetProperty("subnets").EnumerateArray(), subnet =>
            Assert.Equal("[variables('delegation')]", subnet.GetProperty("properties").GetProperty("delegations").GetString()));
        Assert.Equal("Microsoft.App/environments", Assert.Single(network.GetProperty("variables").GetProperty("delegation").EnumerateArray()).GetProperty("properties").GetProperty("serviceName").GetString());
        var environments = Bicep.Resources("Microsoft.App/managedEnvironments"); // the module, used for each
        Assert.Equal(2, environments.Count);
        Assert.All(environments, e => Assert.Equal("[parameters('internal')]", e.GetProperty("properties").GetProperty("vnetConfiguration").GetProperty("internal").GetString()));

        var probes = Bicep.Template.GetRawText();
        Assert.Contains("/health/live", probes, StringComparison.Ordinal);
        Assert.Contains("/health/ready", probes, StringComparison.Ordinal);

        static (bool Internal, string Subnet) Environment(string name)
        {
            var module = Assert.Single(Bicep.Resources("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == name);
            var parameters = module.GetProperty("properties").GetProperty("parameters");
            var subnet = Value(parameters, "subnetId");
            return (parameters.GetProperty("internal").GetProperty("value").GetBoolean(), subnet[(subnet.LastIndexOf(".outputs.", StringComparison.Ordinal) + 9)..subnet.LastIndexOf(".value", StringComparison.Ordinal)]);
        }
    }

    [Fact]
    public void The_api_is_its_own_app_with_public_https_ingress_and_an_http_scale_rule()
    {
        var properties = App("api").GetProperty("properties");
        var ingress = properties.GetProperty("configuration").GetProperty("ingress");
        Assert.Equal((true, "auto", false), (ingress.GetProperty("external").GetBoolean(), ingress.GetProperty("transport").GetString(), ingress.GetProperty("allowInsecure").GetBoolean()));
        var scale = properties.GetProperty("template").GetProperty("scale");
        Assert.Equal((1, "[parameters('maxReplicas')]"), (scale.GetProperty("minReplicas").GetInt32(), scale.GetProperty("maxReplicas").GetString()));
        Assert.True(Assert.Single(scale.GetProperty("rules").EnumerateArray()).TryGetProperty("http", out _));
        var url = Bicep.Template.GetProperty("outputs").GetProperty("MARKETPLACE_URL").GetProperty("value").GetString();
        Assert.Contains("'Microsoft.Resources/deployments', 'api')", url, StringComparison.Ordinal); // the API app's address, not a silo's
        Assert.Contains(".outputs.fqdn.value", url, StringComparison.Ordinal);
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

    /// <summary>The container app whose container runs in <paramref name="role"/> (silo, api).</summary>
    private static JsonElement App(string role) => Assert.Single(Bicep.Resources("Microsoft.App/containerApps"), app => Settings(app).GetValueOrDefault("Marketplace__Role") == $"'{role}'");

    /// <summary>An app's container environment: name → value (an ARM expression or a literal).</summary>
    private static Dictionary<string, string> Settings(string role) => Settings(App(role));

    private static Dictionary<string, string> Settings(JsonElement app)
    {
        var container = Assert.Single(app.GetProperty("properties").GetProperty("template").GetProperty("containers").EnumerateArray());
        return container.GetProperty("env").EnumerateArray().ToDictionary(
            e => e.GetProperty("name").GetString()!,
            e => e.GetProperty("value").ValueKind == JsonValueKind.String ? Quoted(e.GetProperty("value").GetString()!) : e.GetProperty("value").GetRawText());

        static string Quoted(string value) => value.StartsWith('[') ? value : $"'{value}'";
    }

    private static string Value(JsonElement parameters, string name) => parameters.GetProperty(name).GetProperty("value").ToString();
}
