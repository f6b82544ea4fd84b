using System.Text.Json;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Tests.EventHubs;

/// <summary>The emulator's Config.json declares the hub, partitions and consumer group the local profile uses.</summary>
public sealed class LocalInfrastructureTests
{
    [Fact]
    public void The_emulator_config_matches_the_local_profile()
    {
        var root = Azurite.RepoRoot();
        var local = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "src", "Marketplace.Silo", "appsettings.Local.json"))
            .Build();
        var settings = local.GetSection(EventHubSettings.Section).Get<EventHubSettings>()!;

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "infra", "local", "Config.json")));
        var hub = config.RootElement.GetProperty("UserConfig").GetProperty("NamespaceConfig")[0].GetProperty("Entities")
            .EnumerateArray().Single(e => e.GetProperty("Name").GetString() == settings.Hub);

        Assert.Contains(hub.GetProperty("ConsumerGroups").EnumerateArray(), g => g.GetProperty("Name").GetString() == settings.ConsumerGroup);
        Assert.Equal("local", local["Marketplace:Profile"]);
        Assert.Contains("UseDevelopmentEmulator=true", local.GetConnectionString("EventHubs"), StringComparison.Ordinal);
    }
}
