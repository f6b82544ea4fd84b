using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Marketplace.Tests.Contracts;

/// <summary>The JSON Schema of each event as it travels, and the checked-in copies readers rely on.</summary>
public static class EventSchemas
{
    /// <summary>Envelope fields every event carries, stamped by the journal (init properties, so not inferred).</summary>
    private static readonly string[] Envelope = ["eventId", "orderId", "sequence", "occurredAt", "correlationId", "preceding"];

    public static string Directory => Path.Combine(Azurite.RepoRoot(), "src", "Marketplace.Contracts", "Schemas");

    public static string PathOf(string eventName) => System.IO.Path.Combine(Directory, $"{eventName}.schema.json");

    public static JsonObject Current(Type eventType)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(MarketplaceJson.Options, eventType, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
        }).AsObject();
        var required = schema["required"] as JsonArray ?? [];
        foreach (var field in Envelope.Where(f => !required.Any(r => r!.GetValue<string>() == f)))
        {
            required.Add(field);
        }

        schema["required"] = required;
        var name = EventCatalog.NameOf(eventType);
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://marketplace.example/schemas/{name}.schema.json",
            ["title"] = name,
            ["description"] = $"CloudEvents data of type '{name}' (content type application/json).",
        }.Merge(schema);
    }

    public static JsonObject CheckedIn(string eventName) =>
        JsonNode.Parse(File.ReadAllText(PathOf(eventName)))!.AsObject();

    public static string Format(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static JsonObject Merge(this JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            target[key] = value?.DeepClone();
        }

        return target;
    }

    /// <summary>
    /// What would break a reader written against <paramref name="old"/>: a property it knows that
    /// is gone or has another type, or a field it may rely on that is no longer required.
    /// </summary>
    public static IEnumerable<string> BreakingChanges(JsonNode? old, JsonNode? current, string path = "$")
    {
        if (old is not JsonObject o)
        {
            yield break;
        }

        if (current is not JsonObject c)
        {
            yield return $"{path} is gone";
            yield break;
        }

        if (o["type"] is { } type && !JsonNode.DeepEquals(type, c["type"]))
        {
            yield return $"{path}: type {type.ToJsonString()} became {c["type"]?.ToJsonString() ?? "untyped"}";
        }

        foreach (var field in (o["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
        {
            if (!(c["required"] as JsonArray ?? []).Any(r => r!.GetValue<string>() == field))
            {
                yield return $"{path}: '{field}' is no longer required";
            }
        }

        foreach (var (name, property) in o["properties"] as JsonObject ?? [])
        {
            foreach (var change in BreakingChanges(property, (c["properties"] as JsonObject)?[name], $"{path}.{name}"))
            {
                yield return change;
            }
        }

        foreach (var change in BreakingChanges(o["items"], c["items"], $"{path}[]"))
        {
            yield return change;
        }
    }

    /// <summary>A reader's check, with System.Text.Json alone: required fields present, JSON types as declared.</summary>
    public static IEnumerable<string> Violations(JsonElement value, JsonNode? schema, string path = "$")
    {
        if (schema is not JsonObject s)
        {
            yield break;
        }

        if (s["type"] is { } type)
        {
            var allowed = type is JsonArray many ? many.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Any(t => Matches(value, t)))
            {
                yield return $"{path}: {value.ValueKind} where the schema says {type.ToJsonString()}";
                yield break;
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in (s["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).Where(f => !value.TryGetProperty(f, out _)))
            {
                yield return $"{path}: required '{field}' is missing";
            }

            foreach (var property in value.EnumerateObject())
            {
                foreach (var violation in Violations(property.Value, (s["properties"] as JsonObject)?[property.Name], $"{path}.{property.Name}"))
                {
                    yield return violation;
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var (item, i) in value.EnumerateArray().Select((item, i) => (item, i)))
            {
                foreach (var violation in Violations(item, s["items"], $"{path}[{i}]"))
                {
                    yield return violation;
                }
            }
        }
    }

    private static bool Matches(JsonElement value, string type) => (type, value.ValueKind) switch
    {
        ("string", JsonValueKind.String) => true,
        ("number", JsonValueKind.Number) => true,
        ("integer", JsonValueKind.Number) => value.TryGetInt64(out _),
        ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
        ("array", JsonValueKind.Array) => true,
        ("object", JsonValueKind.Object) => true,
        ("null", JsonValueKind.Null) => true,
        _ => false,
    };
}
