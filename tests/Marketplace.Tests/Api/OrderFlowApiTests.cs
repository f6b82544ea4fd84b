using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Marketplace.Tests.Api;

public sealed class OrderFlowApiTests(HostFixture host, ITestOutputHelper output) : OrderFlowApiTests<HostFixture>(host, output), IClassFixture<HostFixture>;

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
[Collection(ApiTier.Name)]
public sealed class OrderFlowApiTestsOnTheApiRole(ApiRoleHostFixture host, ITestOutputHelper output) : OrderFlowApiTests<ApiRoleHostFixture>(host, output);

public abstract class OrderFlowApiTests<THost>(THost host, ITestOutputHelper output)
    where THost : HostFixture
{
    private static readonly string[] SixConsumers = ["email", "inventory", "loyalty", "payment", "reporting", "shipping"];

    public sealed record TimelineEntry(long Sequence, Guid EventId, string Type, DateTimeOffset OccurredAt, string[] HandledBy, string[] Pending, string[] DeadLettered);

    [Fact]
    public async Task Checkout_returns_202_and_the_order_is_fulfilled_with_all_six_consumers_in_its_timeline()
    {
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 19.99m, 5);
        var customer = Shop.NewId("cust");

        var clock = Stopwatch.StartNew();
        var response = await host.Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(customer, sku, 2));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var placed = (await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!;
        Assert.Equal($"/api/orders/{placed.OrderId}", response.Headers.Location!.OriginalString);
        Assert.Equal((OrderStatus.Placed, 39.98m, customer), (placed.Status, placed.Total, placed.CustomerId));

        var order = await Eventually.Get(async () =>
        {
            var o = await host.GetAsync<OrderSnapshot>($"/api/orders/{placed.OrderId}");
            return o.Status == OrderStatus.Fulfilled ? o : null;
        }, "the order to be fulfilled");
        output.WriteLine($"Placed -> Fulfilled observed over HTTP after {clock.ElapsedMilliseconds} ms");

        var timeline = await Eventually.Get(async () =>
        {
            var t = await host.GetAsync<TimelineEntry[]>($"/api/orders/{order.OrderId}/timeline");
            return t.All(e => e.Pending.Length == 0) ? t : null;
        }, "every consumer to finish");
        Assert.Equal("OrderPlaced", timeline[0].Type);
        Assert.Equal("OrderFulfilled", timeline[^1].Type);
        Assert.Superset(SixConsumers.ToHashSet(), timeline.SelectMany(e => e.HandledBy).ToHashSet());

        var payment = await host.GetAsync<PaymentSnapshot>($"/api/payments/{order.OrderId}");
        Assert.Equal((PaymentStatus.Captured, 39.98m, 1), (payment.Status, payment.Amount, payment.Attempts));
        var shipment = await host.GetAsync<ShipmentSnapshot>($"/api/shipments/{order.OrderId}");
        Assert.Equal(("Scheduled", "US"), (shipment.Status, shipment.Address.Country));
        Assert.Equal(new LoyaltySnapshot(customer, 39, "Bronze"), await host.GetAsync<LoyaltySnapshot>($"/api/customers/{customer}/loyalty"));
        var mail = await host.GetAsync<Notification[]>($"/api/customers/{customer}/notifications");
        Assert.Equal([NotificationKinds.OrderReceived, NotificationKinds.OrderShipped], mail.Select(n => n.Kind));
        var report = await host.GetAsync<SalesReport>("/api/reports/sales");
        Assert.Equal(new SkuSales(2, 39.98m), report.BySku[sku]);
        var product = await host.GetAsync<ProductSnapshot>($"/api/products/{sku}");
        Assert.Equal((3, 0), (product.Available, product.Reserved));
    }

    [Fact]
    public async Task A_customers_orders_are_listed_newest_first()
    {
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 1m, 10);
        var customer = Shop.NewId("cust");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await host.Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(customer, sku));
            ids.Add((await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId);
        }

        var listed = await host.GetAsync<OrderSnapshot[]>($"/api/customers/{customer}/orders");

        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(o => o.OrderId));
        Assert.Empty(await host.GetAsync<OrderSnapshot[]>($"/api/customers/{Shop.NewId("nobody")}/orders"));
    }

    [Fact]
    public async Task Catalog_lists_by_sku_and_restock_adds_to_available()
    {
        var prefix = Shop.NewId("CAT");
        await host.PutProductAsync($"{prefix}-B", 2m, 1);
        await host.PutProductAsync($"{prefix}-A", 1m, 1);

        var restock = await host.Http.PostAsJsonAsync($"/api/products/{prefix}-A/restock", new { quantity = 4 });
        Assert.Equal(HttpStatusCode.OK, restock.StatusCode);
        Assert.Equal(5, (await restock.Content.ReadFromJsonAsync<ProductSnapshot>(MarketplaceJson.Options))!.Available);

        var corrected = await host.PutProductAsync($"{prefix}-B", 3.5m, 9);
        Assert.Equal(new ProductSnapshot($"{prefix}-B", $"Product {prefix}-B", 3.5m, 9, 0), corrected);

        var all = await host.GetAsync<ProductSnapshot[]>("/api/products");
        Assert.Equal(all.Select(p => p.Sku).Order(StringComparer.Ordinal), all.Select(p => p.Sku));
        Assert.Equal([$"{prefix}-A", $"{prefix}-B"], all.Where(p => p.Sku.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Sku));
    }

    [Theory]
    [InlineData("/api/orders/no-such-order")]
    [InlineData("/api/orders/no-such-order/timeline")]
    [InlineData("/api/payments/no-such-order")]
    [InlineData("/api/shipments/no-such-order")]
    [InlineData("/api/products/NO-SUCH-SKU")]
    public async Task Unknown_resources_are_404_problems(string path)
    {
        var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/dashboard")]
    public async Task Health_and_dashboard_answer(string path)
    {
        var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
