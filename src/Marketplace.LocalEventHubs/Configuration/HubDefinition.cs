using System.Text.Json;

namespace Marketplace.LocalEventHubs.Configuration;

/// <summary>One event hub: its partitions and consumer groups (<c>$Default</c> always among them).</summary>
public sealed record HubDefinition(string Name, int PartitionCount, IReadOnlySet<string> ConsumerGroups)
{
    public const string DefaultConsumerGroup = "$Default";

    public IEnumerable<string> PartitionIds => Enumerable.Range(0, PartitionCount).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The one namespace the emulator serves (its schema allows no other name).</summary>
    public const string EmulatorNamespace = "emulatorNs1";

    /// <summary>
    /// Reads the Microsoft emulator's <c>Config.json</c> (<c>UserConfig.NamespaceConfig[].Entities[]</c>),
    /// so one file describes the hubs for both, and refuses what the emulator refuses (its
    /// <c>Config-schema.json</c>): exactly one namespace, of type <c>EventHub</c>, named
    /// <c>emulatorNs1</c>; 1-10 hubs; 1-32 partitions; 1-20 consumer groups, not <c>$default</c>
    /// (always there); a logging type. Every violation is listed in the exception's message.
    /// </summary>
    public static IReadOnlyList<HubDefinition> FromEmulatorConfig(string json)
    {
        using var document = JsonDocument.Parse(json);
        List<string> errors = [];
        List<HubDefinition> hubs = [];
        if (!document.RootElement.TryGetProperty("UserConfig", out var user))
        {
            throw new InvalidDataException("Expected UserConfig, but found none.");
        }

        var namespaces = user.TryGetProperty("NamespaceConfig", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        Expect(errors, namespaces.Count == 1, $"Expected NamespaceConfig to contain exactly 1 namespace, but found {namespaces.Count}.");
        Expect(errors, user.TryGetProperty("LoggingConfig", out var logging) && logging.TryGetProperty("Type", out var type)
            && type.GetString() is "File" or "Console" or "File,Console" or "Console,File",
            "Expected LoggingConfig.Type to be one of \"File\", \"Console\", \"File,Console\", \"Console,File\".");
        foreach (var ns in namespaces)
        {
            Expect(errors, Text(ns, "Type") == "EventHub", $"Expected namespace Type to be \"EventHub\", but found \"{Text(ns, "Type")}\".");
            Expect(errors, Text(ns, "Name") == EmulatorNamespace, $"Expected namespace Name to be \"{EmulatorNamespace}\", but found \"{Text(ns, "Name")}\".");
            var entities = ns.TryGetProperty("Entities", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : [];
            Expect(errors, entities.Count >= 1, "Expected at least 1 event hub in Entities, but found none.");
            Expect(errors, entities.Count <= 10, $"Expected value to be less than or equal to 10 because Max EventHubs supported $10, but found {entities.Count} (difference of {entities.Count - 10}).");
            foreach (var entity in entities)
            {
                if (Hub(entity, errors) is { } hub)
                {
                    hubs.Add(hub);
                }
            }
        }

        return errors.Count == 0 ? hubs : throw new InvalidDataException(string.Join(Environment.NewLine, errors));
    }

    private static HubDefinition? Hub(JsonElement entity, List<string> errors)
    {
        var name = Text(entity, nameof(Name));
        if (string.IsNullOrEmpty(name))
        {
            errors.Add("Expected every event hub to have a Name, but one has none.");
            return null;
        }

        var partitions = entity.TryGetProperty(nameof(PartitionCount), out var count) && count.ValueKind == JsonValueKind.String
            && int.TryParse(count.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        Expect(errors, partitions is >= 1 and <= 32, $"Hub '{name}': expected PartitionCount to be a string of 1 to 32, but found {(count.ValueKind == JsonValueKind.Undefined ? "none" : count.GetRawText())}.");

        var groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { DefaultConsumerGroup };
        if (entity.TryGetProperty(nameof(ConsumerGroups), out var consumerGroups))
        {
            var declared = consumerGroups.ValueKind == JsonValueKind.Array ? consumerGroups.EnumerateArray().Select(g => Text(g, nameof(Name))).ToList() : [];
            Expect(errors, declared.Count is >= 1 and <= 20, $"Hub '{name}': expected 1 to 20 ConsumerGroups, but found {declared.Count}.");
            foreach (var group in declared)
            {
                Expect(errors, !string.IsNullOrEmpty(group), $"Hub '{name}': expected every consumer group to have a Name, but one has none.");
                Expect(errors, !string.Equals(group, DefaultConsumerGroup, StringComparison.OrdinalIgnoreCase), $"Hub '{name}': consumer group \"{group}\" is always there and may not be declared.");
                groups.Add(group ?? "");
            }
        }

        return partitions is >= 1 and <= 32 ? new HubDefinition(name, partitions, groups) : null;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Expect(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }
}
