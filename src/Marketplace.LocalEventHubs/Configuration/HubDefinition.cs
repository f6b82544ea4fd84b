using System.Text.Json;

namespace Marketplace.LocalEventHubs.Configuration;

/// <summary>One event hub: its partitions and consumer groups (<c>$Default</c> always among them).</summary>
public sealed record HubDefinition(string Name, int PartitionCount, IReadOnlySet<string> ConsumerGroups)
{
    public const string DefaultConsumerGroup = "$Default";

    public IEnumerable<string> PartitionIds => Enumerable.Range(0, PartitionCount).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Reads the Microsoft emulator's <c>Config.json</c> (<c>UserConfig.NamespaceConfig[].Entities[]</c>),
    /// so one file describes the hubs for both.
    /// </summary>
    public static IReadOnlyList<HubDefinition> FromEmulatorConfig(string json)
    {
        using var document = JsonDocument.Parse(json);
        List<HubDefinition> hubs = [];
        foreach (var ns in document.RootElement.GetProperty("UserConfig").GetProperty("NamespaceConfig").EnumerateArray())
        {
            foreach (var entity in ns.GetProperty("Entities").EnumerateArray())
            {
                var name = entity.GetProperty(nameof(Name)).GetString() ?? throw new InvalidDataException("An entity has no Name.");
                var partitions = entity.GetProperty(nameof(PartitionCount)) is { ValueKind: JsonValueKind.String } text
                    ? int.Parse(text.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                    : entity.GetProperty(nameof(PartitionCount)).GetInt32();
                if (partitions is < 1 or > 32)
                {
                    throw new InvalidDataException($"Hub '{name}': PartitionCount must be 1 to 32, not {partitions}.");
                }

                var groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { DefaultConsumerGroup };
                if (entity.TryGetProperty(nameof(ConsumerGroups), out var consumerGroups))
                {
                    foreach (var group in consumerGroups.EnumerateArray())
                    {
                        groups.Add(group.GetProperty(nameof(Name)).GetString()!);
                    }
                }

                hubs.Add(new HubDefinition(name, partitions, groups));
            }
        }

        return hubs;
    }
}
