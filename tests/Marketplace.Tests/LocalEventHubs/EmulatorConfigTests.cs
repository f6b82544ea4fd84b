using System.Text.Json.Nodes;
using Marketplace.LocalEventHubs.Configuration;

namespace Marketplace.Tests.LocalEventHubs;

/// <summary>
/// infra/local/Config.json feeds Microsoft's emulator (Docker) and our endpoint alike: our endpoint
/// reads it by the emulator's schema rules and refuses what the emulator refuses, naming each fault.
/// </summary>
public sealed class EmulatorConfigTests
{
    private static readonly string RepositoryConfig = File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "infra", "local", "Config.json"));

    [Fact]
    public void The_repositorys_config_is_valid_by_the_emulators_rules()
    {
        var hub = Assert.Single(HubDefinition.FromEmulatorConfig(RepositoryConfig));

        Assert.Equal(("marketplace-events", 8), (hub.Name, hub.PartitionCount));
        Assert.Equal(["$Default", "orleans-silos"], hub.ConsumerGroups.Order(StringComparer.Ordinal));
        Assert.Equal(HubDefinition.EmulatorNamespace, JsonNode.Parse(RepositoryConfig)!["UserConfig"]!["NamespaceConfig"]![0]!["Name"]!.GetValue<string>());
    }

    public static TheoryData<string, string> Violations => new()
    {
        { """{ "UserConfig": { "NamespaceConfig": [{ "Name": "marketplace" }] } }""", "Expected namespace Name to be \"emulatorNs1\", but found \"marketplace\"." },
        { """{ "UserConfig": { "NamespaceConfig": [{ "Type": "ServiceBus" }] } }""", "Expected namespace Type to be \"EventHub\", but found \"ServiceBus\"." },
        { """{ "UserConfig": { "NamespaceConfig": [{}, {}] } }""", "Expected NamespaceConfig to contain exactly 1 namespace, but found 2." },
        { """{ "UserConfig": { "NamespaceConfig": [{ "Entities": [] }] } }""", "Expected at least 1 event hub in Entities, but found none." },
        { $$"""{ "UserConfig": { "NamespaceConfig": [{ "Entities": [{{string.Join(",", Enumerable.Range(0, 12).Select(i => $$"""{ "Name": "h{{i}}", "PartitionCount": "1" }"""))}}] }] } }""",
            "Expected value to be less than or equal to 10 because Max EventHubs supported $10, but found 12 (difference of 2)." },
        { Hub("""{ "Name": "h", "PartitionCount": "33" }"""), "Hub 'h': expected PartitionCount to be a string of 1 to 32, but found \"33\"." },
        { Hub("""{ "Name": "h", "PartitionCount": 4 }"""), "Hub 'h': expected PartitionCount to be a string of 1 to 32, but found 4." },
        { Hub("""{ "Name": "h", "PartitionCount": "2", "ConsumerGroups": [] }"""), "Hub 'h': expected 1 to 20 ConsumerGroups, but found 0." },
        { Hub($$"""{ "Name": "h", "PartitionCount": "2", "ConsumerGroups": [{{string.Join(",", Enumerable.Range(0, 21).Select(i => $$"""{ "Name": "g{{i}}" }"""))}}] }"""), "Hub 'h': expected 1 to 20 ConsumerGroups, but found 21." },
        { Hub("""{ "Name": "h", "PartitionCount": "2", "ConsumerGroups": [{ "Name": "$default" }] }"""), "Hub 'h': consumer group \"$default\" is always there and may not be declared." },
        { """{ "UserConfig": { "NamespaceConfig": [], "LoggingConfig": { "Type": "Syslog" } } }""", "Expected LoggingConfig.Type to be one of \"File\", \"Console\", \"File,Console\", \"Console,File\"." },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void A_config_the_emulator_would_refuse_is_refused_naming_the_fault(string json, string message)
    {
        var refused = Assert.Throws<InvalidDataException>(() => HubDefinition.FromEmulatorConfig(json));

        Assert.Contains(message, refused.Message.Split(Environment.NewLine));
    }

    [Fact]
    public async Task The_endpoints_process_refuses_an_invalid_config_with_the_messages_and_exit_code_2()
    {
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, RepositoryConfig.Replace("emulatorNs1", "marketplace", StringComparison.Ordinal));
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "Marketplace.LocalEventHubs.dll"), "--config", config, "--port", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, process.ExitCode);
            Assert.Contains("Expected namespace Name to be \"emulatorNs1\", but found \"marketplace\".", errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static string Hub(string entity) =>
        $$"""{ "UserConfig": { "NamespaceConfig": [{ "Type": "EventHub", "Name": "emulatorNs1", "Entities": [{{entity}}] }], "LoggingConfig": { "Type": "File" } } }""";
}
