namespace Marketplace.Tests.Contracts;

/// <summary>
/// The checked-in schemas (src/Marketplace.Contracts/Schemas) are the contract with readers outside
/// Orleans. A change that would break one of them fails here; an additive change asks for the
/// schemas to be regenerated (MARKETPLACE_WRITE_SCHEMAS=1 dotnet test --filter EventSchemaTests).
/// </summary>
public sealed class EventSchemaTests
{
    public static TheoryData<string> EventNames => [.. EventCatalog.Types.Select(EventCatalog.NameOf).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(EventNames))]
    public void The_event_still_reads_as_its_checked_in_schema_promises(string eventName)
    {
        EventCatalog.TryGetType(eventName, out var type);
        var current = EventSchemas.Current(type);
        var writing = Environment.GetEnvironmentVariable("MARKETPLACE_WRITE_SCHEMAS") == "1";
        if (writing && !File.Exists(EventSchemas.PathOf(eventName)))
        {
            Directory.CreateDirectory(EventSchemas.Directory);
            File.WriteAllText(EventSchemas.PathOf(eventName), EventSchemas.Format(current)); // a new event: nothing to break
        }

        Assert.True(File.Exists(EventSchemas.PathOf(eventName)), $"No checked-in schema for {eventName}: a new event needs one (see the class summary).");
        var checkedIn = EventSchemas.CheckedIn(eventName);

        // Checked before anything is rewritten: a breaking change fails in either mode.
        Assert.Empty(EventSchemas.BreakingChanges(checkedIn, current));
        if (writing)
        {
            File.WriteAllText(EventSchemas.PathOf(eventName), EventSchemas.Format(current));
            checkedIn = EventSchemas.CheckedIn(eventName);
        }

        Assert.True(
            EventSchemas.Format(checkedIn) == EventSchemas.Format(current),
            $"{eventName} changed compatibly; regenerate its schema (see the class summary) and commit it.");
    }

    [Fact]
    public void Breaking_changes_are_recognised()
    {
        var old = System.Text.Json.Nodes.JsonNode.Parse("""{ "type": "object", "required": ["a"], "properties": { "a": { "type": "string" }, "b": { "type": "integer" } } }""");
        var renamed = System.Text.Json.Nodes.JsonNode.Parse("""{ "type": "object", "required": ["c"], "properties": { "c": { "type": "string" }, "b": { "type": "string" } } }""");
        var added = System.Text.Json.Nodes.JsonNode.Parse("""{ "type": "object", "required": ["a"], "properties": { "a": { "type": "string" }, "b": { "type": "integer" }, "d": { "type": "string" } } }""");

        Assert.Equal(3, EventSchemas.BreakingChanges(old, renamed).Count()); // 'a' gone, no longer required; 'b' retyped
        Assert.Empty(EventSchemas.BreakingChanges(old, added));
    }

    [Fact]
    public void Every_event_travels_on_a_namespace_consumers_can_name()
    {
        Assert.Equal(
            EventStreams.All.Order(StringComparer.Ordinal),
            EventCatalog.Types.Select(EventCatalog.NamespaceOf).Order(StringComparer.Ordinal));
        Assert.Equal("order-placed", EventCatalog.NamespaceOf("marketplace.order-placed.v1"));
    }
}
