using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Marketplace.Contracts.Events;

/// <summary>
/// Every event type by its versioned name (<c>marketplace.order-placed.v1</c>, the Orleans
/// <c>[Alias]</c> and the CloudEvents <c>type</c>), with its stream namespace and the JSON shape
/// used on the wire, so readers outside Orleans need only these records and System.Text.Json.
/// </summary>
public static partial class EventCatalog
{
    private static readonly FrozenDictionary<string, Type> TypesByName = typeof(OrderEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(OrderEvent)) && !t.IsAbstract)
        .ToFrozenDictionary(t => t.GetCustomAttribute<AliasAttribute>()!.Alias);

    private static readonly FrozenDictionary<Type, string> NamesByType = TypesByName.ToFrozenDictionary(p => p.Value, p => p.Key);

    private static readonly FrozenDictionary<string, string> NamespacesByName = TypesByName.Keys.ToFrozenDictionary(
        name => name, name => VersionSuffix().Replace(name["marketplace.".Length..], ""));

    public static IEnumerable<Type> Types => TypesByName.Values;

    public static string NameOf(Type eventType) => NamesByType[eventType];

    public static bool TryGetType(string name, out Type eventType) => TypesByName.TryGetValue(name, out eventType!);

    public static string NamespaceOf(string name) => NamespacesByName[name];

    public static string NamespaceOf(Type eventType) => NamespacesByName[NamesByType[eventType]];

    [GeneratedRegex(@"\.v\d+$")]
    private static partial Regex VersionSuffix();
}
