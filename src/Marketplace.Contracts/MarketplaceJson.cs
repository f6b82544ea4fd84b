using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Marketplace.Contracts;

/// <summary>
/// The JSON of API.md and of events on the wire, one definition for the API, its clients and the
/// event catalog: camelCase, enums as names, numbers only as JSON numbers ("2" is not 2).
/// </summary>
public static class MarketplaceJson
{
    public static JsonSerializerOptions Options { get; } = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() });

    /// <summary>Sets the rules on options that another framework created (ASP.NET Core's).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
