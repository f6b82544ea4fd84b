using System.Net;
using System.Net.Http.Json;

namespace Marketplace.Tests.Security;

/// <summary>
/// Every route of API.md, called as nobody, as the wrong role or another customer, and as the right
/// caller: 401 (with a challenge) / 403 / 403 / success, each error a problem, in both modes that
/// have callers. The catalog reads are public; health and the dashboard have their own tests.
/// </summary>
public abstract class AuthorizationMatrixTests<THost>(THost host) : IAsyncLifetime where THost : ISecuredHost
{
    private string sku = "";
    private string orderId = "";

    public async Task InitializeAsync()
    {
        sku = Shop.NewId("SKU");
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Put, $"/api/products/{sku}", Who.Admin, new { name = "Widget", price = 2.5m, stock = 100 })).StatusCode);
        var placed = await host.SendAsync(HttpMethod.Post, "/api/orders", Who.Customer, HostFixture.OrderBody(host.CustomerId, sku));
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        orderId = (await placed.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId;
        await Eventually.Get(async () =>
            (await host.SendAsync(HttpMethod.Get, $"/api/shipments/{orderId}", Who.Admin)).StatusCode == HttpStatusCode.OK ? new object() : null,
            "the order's shipment (every view of the order exists)");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(SecuredRoutes.All), MemberType = typeof(SecuredRoutes))]
    public async Task Anonymous_wrong_role_other_customer_and_right_caller(string verb, string route, string access)
    {
        var method = HttpMethod.Parse(verb);
        var path = route.Replace("{sku}", sku, StringComparison.Ordinal).Replace("{orderId}", orderId, StringComparison.Ordinal)
            .Replace("{customerId}", host.CustomerId, StringComparison.Ordinal).Replace("{id}", "no-such-letter", StringComparison.Ordinal);
        // Every caller sends the same request: for an order, one in the customer's name, which another customer may not place.
        var body = (verb, route) switch
        {
            ("PUT", _) => new { name = "Widget", price = 2.5m, stock = 100 },
            ("POST", "/api/products/{sku}/restock") => new { quantity = 1 },
            ("POST", "/api/orders") => HostFixture.OrderBody(host.CustomerId, sku),
            _ => (object?)null,
        };

        var anonymous = await host.SendAsync(method, path, Who.Anonymous, body);
        var other = await host.SendAsync(method, path, Who.OtherCustomer, body);
        var right = await host.SendAsync(method, path, access == "admin" ? Who.Admin : Who.Customer, body);

        if (access == "public")
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.NotEmpty(anonymous.Headers.WwwAuthenticate);
        await AssertProblemAsync(anonymous);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode); // a customer on an admin route, or on another customer's data
        await AssertProblemAsync(other);
        if (access == "admin")
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(method, path, Who.Customer, body)).StatusCode);
        }

        Assert.True(right.IsSuccessStatusCode || (route.EndsWith("/replay", StringComparison.Ordinal) && right.StatusCode == HttpStatusCode.NotFound),
            $"{verb} {route} as the right caller: {(int)right.StatusCode} {await right.Content.ReadAsStringAsync()}");
        if (access == "owner")
        {
            Assert.True((await host.SendAsync(method, path, Who.Admin, body)).IsSuccessStatusCode, $"{verb} {route} as admin");
        }
    }

    [Fact]
    public async Task A_refused_order_places_nothing()
    {
        var before = await (await host.SendAsync(HttpMethod.Get, $"/api/customers/{host.CustomerId}/orders", Who.Admin)).Content.ReadFromJsonAsync<OrderSnapshot[]>(MarketplaceJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, "/api/orders", Who.OtherCustomer, HostFixture.OrderBody(host.CustomerId, sku))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(HttpMethod.Post, "/api/orders", Who.Anonymous, HostFixture.OrderBody(host.CustomerId, sku))).StatusCode);

        var after = await (await host.SendAsync(HttpMethod.Get, $"/api/customers/{host.CustomerId}/orders", Who.Admin)).Content.ReadFromJsonAsync<OrderSnapshot[]>(MarketplaceJson.Options);
        Assert.Equal(before!.Length, after!.Length);
    }


    private static async Task AssertProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
    }
}

public sealed class ApiKeyAuthorizationTests(ApiKeyHostFixture host)
    : AuthorizationMatrixTests<ApiKeyHostFixture>(host), IClassFixture<ApiKeyHostFixture>;

public sealed class EntraAuthorizationTests(EntraHostFixture host)
    : AuthorizationMatrixTests<EntraHostFixture>(host), IClassFixture<EntraHostFixture>;

/// <summary>The matrix against the deployment's API tier, in its auth mode.</summary>
public sealed class EntraAuthorizationTestsOnTheApiRole(EntraApiTierHostFixture host)
    : AuthorizationMatrixTests<EntraApiTierHostFixture>(host), IClassFixture<EntraApiTierHostFixture>;

/// <summary>Every route of API.md with who may call it.</summary>
public static class SecuredRoutes
{
    public static TheoryData<string, string, string> All => new()
    {
        // verb, route, who may: "admin" (admin only), "owner" (the customer it is about, and admins), "public"
        { "PUT", "/api/products/{sku}", "admin" },
        { "POST", "/api/products/{sku}/restock", "admin" },
        { "GET", "/api/products/{sku}", "public" },
        { "GET", "/api/products", "public" },
        { "POST", "/api/orders", "owner" },
        { "GET", "/api/orders/{orderId}", "owner" },
        { "GET", "/api/orders/{orderId}/timeline", "owner" },
        { "GET", "/api/orders/{orderId}/live", "owner" },
        { "GET", "/api/customers/{customerId}/orders", "owner" },
        { "GET", "/api/payments/{orderId}", "owner" },
        { "GET", "/api/shipments/{orderId}", "owner" },
        { "GET", "/api/customers/{customerId}/loyalty", "owner" },
        { "GET", "/api/customers/{customerId}/notifications", "owner" },
        { "GET", "/api/reports/sales", "admin" },
        { "GET", "/api/admin/dead-letters", "admin" },
        { "GET", "/api/admin/orders/recent", "admin" },
        { "GET", "/api/admin/cluster", "admin" },
        { "POST", "/api/admin/dead-letters/{id}/replay", "admin" },
    };
}
