using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Tests.Api;

/// <summary>
/// The field names of API.md, read from the raw JSON: a renamed property is a breaking change
/// that typed deserialization (case-insensitive, lenient) would not notice.
/// </summary>
public sealed class JsonShapeApiTests(HostFixture host) : JsonShapeApiTests<HostFixture>(host), IClassFixture<HostFixture>;

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
[Collection(ApiTier.Name)]
public sealed class JsonShapeApiTestsOnTheApiRole(ApiRoleHostFixture host) : JsonShapeApiTests<ApiRoleHostFixture>(host);

public abstract class JsonShapeApiTests<THost>(THost host)
    where THost : HostFixture
{
    [Fact]
    public async Task Every_resource_has_exactly_the_fields_of_the_contract()
    {
        var sku = Shop.NewId("SKU");
        var customer = Shop.NewId("cust");
        await host.PutProductAsync(sku, 3m, 5);
        var response = await host.Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(customer, sku));
        var orderId = (await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId;
        await Eventually.Get(async () => (await host.GetAsync<OrderSnapshot>($"/api/orders/{orderId}")).Status == OrderStatus.Fulfilled ? new object() : null, "fulfilment");

        await AssertFieldsAsync($"/api/products/{sku}", "sku", "name", "price", "available", "reserved");
        var order = await AssertFieldsAsync($"/api/orders/{orderId}", "orderId", "customerId", "status", "items", "total", "placedAt", "updatedAt", "cancellationReason");
        AssertFields(order.GetProperty("items")[0], "sku", "quantity", "unitPrice");
        Assert.Equal("Fulfilled", order.GetProperty("status").GetString());
        var timeline = await GetAsync($"/api/orders/{orderId}/timeline");
        AssertFields(timeline[0], "sequence", "eventId", "type", "occurredAt", "handledBy", "pending", "deadLettered");
        await AssertFieldsAsync($"/api/payments/{orderId}", "orderId", "status", "amount", "attempts", "declineReason");
        var shipment = await AssertFieldsAsync($"/api/shipments/{orderId}", "orderId", "status", "trackingNumber", "address");
        AssertFields(shipment.GetProperty("address"), "name", "line1", "city", "postalCode", "country");
        await AssertFieldsAsync($"/api/customers/{customer}/loyalty", "customerId", "points", "tier");
        var mail = await GetAsync($"/api/customers/{customer}/notifications");
        AssertFields(mail[0], "orderId", "kind", "to", "subject", "sentAt");
        var report = await AssertFieldsAsync("/api/reports/sales", "ordersPlaced", "ordersFulfilled", "ordersCancelled", "revenue", "unitsSold", "bySku");
        AssertFields(report.GetProperty("bySku").GetProperty(sku), "unitsSold", "revenue");
    }

    private async Task<JsonElement> AssertFieldsAsync(string path, params string[] fields)
    {
        var json = await GetAsync(path);
        AssertFields(json, fields);
        return json;
    }

    private async Task<JsonElement> GetAsync(string path) =>
        JsonDocument.Parse(await host.Http.GetStringAsync(new Uri(path, UriKind.Relative))).RootElement;

    private static void AssertFields(JsonElement json, params string[] fields) =>
        Assert.Equal(fields.Order(StringComparer.Ordinal), json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
}
