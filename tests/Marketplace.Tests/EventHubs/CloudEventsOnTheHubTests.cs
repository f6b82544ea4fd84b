using System.Text.Json;

namespace Marketplace.Tests.EventHubs;

/// <summary>
/// What a reader outside Orleans (an Azure Function, a Kafka client on the Event Hubs Kafka
/// endpoint) sees on the hub: CloudEvents attributes and a JSON body that the checked-in schema
/// describes, read here with System.Text.Json alone: no Orleans type and no Marketplace type.
/// </summary>
public sealed class CloudEventsOnTheHubTests(EventHubClusterFixture fixture) : IClassFixture<EventHubClusterFixture>
{
    [Fact]
    public async Task Every_event_of_an_order_is_a_CloudEvent_with_schema_valid_JSON_on_the_orders_partition()
    {
        var sku = Shop.NewId("SKU");
        await fixture.Shop.AddProductAsync(sku, 12.34m, 3);
        var order = await fixture.Shop.SettledAsync((await fixture.Shop.PlaceAsync(Shop.NewId("cust"), PaymentTokens.Visa, (sku, 2))).OrderId);

        // The subject is the order; the partition key is the order's shard, so the order stays on one partition.
        bool OfOrder(Azure.Messaging.EventHubs.EventData e) => e.Properties.TryGetValue("ce-subject", out var subject) && (string)subject == order.OrderId;
        var onHub = fixture.Hub.PartitionIds.SelectMany(fixture.Hub.Events).Where(OfOrder).ToList();

        Assert.Equal(6, onHub.Count);
        Assert.Single(fixture.Hub.PartitionIds, p => fixture.Hub.Events(p).Any(OfOrder));
        Assert.All(onHub, e => Assert.Equal(fixture.SiloService<EventShards>().KeyOf(order.OrderId), e.PartitionKey));
        var sequences = new List<long>();
        foreach (var data in onHub)
        {
            Assert.Equal("application/json", data.ContentType);
            Assert.Equal("1.0", data.Properties["ce-specversion"]);
            Assert.Equal("/marketplace/orders", data.Properties["ce-source"]);
            Assert.Equal(order.OrderId, data.Properties["ce-subject"]);
            var type = Assert.IsType<string>(data.Properties["ce-type"]);
            Assert.Matches(@"^marketplace\.[a-z-]+\.v\d+$", type);
            Assert.True(DateTimeOffset.TryParse((string)data.Properties["ce-time"], System.Globalization.CultureInfo.InvariantCulture, out _));

            using var body = JsonDocument.Parse(data.EventBody.ToMemory());
            var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Contracts.EventSchemas.PathOf(type)));
            Assert.Empty(Contracts.EventSchemas.Violations(body.RootElement, schema));
            Assert.Equal((string)data.Properties["ce-id"], body.RootElement.GetProperty("eventId").GetString());
            Assert.Equal(order.OrderId, body.RootElement.GetProperty("orderId").GetString());
            sequences.Add(body.RootElement.GetProperty("sequence").GetInt64());
        }

        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), sequences); // in the partition, in sequence
        using var placed = JsonDocument.Parse(onHub[0].EventBody.ToMemory());
        Assert.Equal(24.68m, placed.RootElement.GetProperty("total").GetDecimal());
        Assert.Equal(sku, placed.RootElement.GetProperty("items")[0].GetProperty("sku").GetString());
    }
}

public sealed class UnreadableMessagesTests(EventHubClusterFixture fixture) : IClassFixture<EventHubClusterFixture>
{
    [Fact]
    public async Task Messages_that_are_not_marketplace_events_are_set_aside_without_losing_the_events_around_them()
    {
        var sku = Shop.NewId("SKU");
        await fixture.Shop.AddProductAsync(sku, 1m, 5);
        var orderId = Guid.NewGuid().ToString();

        // Unreadable messages on the order's partition, read in the same batch as its events.
        fixture.Hub.Send(orderId, Message("marketplace.not-a-thing.v1", """{ "x": 1 }"""));
        fixture.Hub.Send(orderId, Message("marketplace.order-placed.v1", "{ not json"));
        fixture.Hub.Send(orderId, Message(null, "{}"));
        await fixture.Shop.PlaceAsync(orderId, Shop.NewId("cust"), PaymentTokens.Visa, (sku, 1));
        fixture.Hub.Send(orderId, Message("marketplace.stock-reserved.v1", "[]"));

        var order = await fixture.Shop.SettledAsync(orderId);

        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        await Invariants.AssertAllHoldAsync(fixture.Shop);
    }

    private static Azure.Messaging.EventHubs.EventData Message(string? type, string body)
    {
        var data = new Azure.Messaging.EventHubs.EventData(System.Text.Encoding.UTF8.GetBytes(body)) { ContentType = "application/json" };
        if (type is not null)
        {
            data.Properties["ce-type"] = type;
        }

        return data;
    }
}
