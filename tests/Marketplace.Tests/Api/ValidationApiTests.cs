using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Marketplace.Tests.Api;

/// <summary>Every rule of API.md: a clear problem+json answer with the right status, and nothing changed.</summary>
public sealed class ValidationApiTests(HostFixture host) : ValidationApiTests<HostFixture>(host);

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
public sealed class ValidationApiTestsOnTheApiRole(ApiRoleHostFixture host) : ValidationApiTests<ApiRoleHostFixture>(host);

/// <summary>Bad requests of every kind, for both hosts' suites.</summary>
public static class ValidationRequests
{
    public const string Sku = "VALID-SKU";
    public const string Customer = "validation-customer";
    private const string Address = """{ "name": "N", "line1": "L", "city": "C", "postalCode": "P", "country": "NL" }""";

    public static TheoryData<string, string, string, int, string?> All => new()
    {
        // Catalog
        { "PUT", "/api/products/bad sku!", """{ "name": "n", "price": 1, "stock": 1 }""", 400, "sku" },
        { "PUT", $"/api/products/{new string('A', 65)}", """{ "name": "n", "price": 1, "stock": 1 }""", 400, "sku" },
        { "PUT", "/api/products/NEW-SKU", """{ "price": 1, "stock": 1 }""", 400, "name" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "  ", "price": 1, "stock": 1 }""", 400, "name" },
        { "PUT", "/api/products/NEW-SKU", $$"""{ "name": "{{new string('n', 201)}}", "price": 1, "stock": 1 }""", 400, "name" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "stock": 1 }""", 400, "price" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "price": -1, "stock": 1 }""", 400, "price" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "price": 1.001, "stock": 1 }""", 400, "price" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "price": 1 }""", 400, "stock" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "price": 1, "stock": -1 }""", 400, "stock" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "price": "cheap", "stock": 1 }""", 400, null },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "price": 1, "stock": 1.5 }""", 400, null },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", """, 400, null },
        { "PUT", "/api/products/NEW-SKU", "", 400, null },
        { "PUT", $"/api/products/{Sku}", """{ "name": "n", "price": 1.999, "stock": 1 }""", 400, "price" },
        { "POST", $"/api/products/{Sku}/restock", """{ "quantity": 0 }""", 400, "quantity" },
        { "POST", $"/api/products/{Sku}/restock", """{ "quantity": -5 }""", 400, "quantity" },
        { "POST", $"/api/products/{Sku}/restock", "{}", 400, "quantity" },
        { "POST", "/api/products/NO-SUCH-SKU/restock", """{ "quantity": 1 }""", 404, null },
        { "GET", "/api/products/bad%20sku", "", 400, "sku" },

        // Orders
        { "POST", "/api/orders", Order(customer: "\"bad customer\""), 400, "customerId" },
        { "POST", "/api/orders", Order(customer: $"\"{new string('c', 65)}\""), 400, "customerId" },
        { "POST", "/api/orders", Order(customer: "null"), 400, "customerId" },
        { "POST", "/api/orders", Order(items: "[]"), 400, "items" },
        { "POST", "/api/orders", Order(items: "null"), 400, "items" },
        { "POST", "/api/orders", Order(items: "[" + string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{ "sku": "S{{i}}", "quantity": 1 }""")) + "]"), 400, "items" },
        { "POST", "/api/orders", Order(items: $$"""[{ "sku": "{{Sku}}", "quantity": 0 }]"""), 400, "items[0].quantity" },
        { "POST", "/api/orders", Order(items: $$"""[{ "sku": "{{Sku}}", "quantity": 1001 }]"""), 400, "items[0].quantity" },
        { "POST", "/api/orders", Order(items: $$"""[{ "sku": "{{Sku}}" }]"""), 400, "items[0].quantity" },
        { "POST", "/api/orders", Order(items: """[{ "sku": "bad sku", "quantity": 1 }]"""), 400, "items[0].sku" },
        { "POST", "/api/orders", Order(items: $$"""[{ "sku": "{{Sku}}", "quantity": 1 }, { "sku": "{{Sku}}", "quantity": 2 }]"""), 400, "items" },
        { "POST", "/api/orders", Order(token: "\"tok_amex\""), 400, "paymentToken" },
        { "POST", "/api/orders", Order(token: "null"), 400, "paymentToken" },
        { "POST", "/api/orders", Order(address: "null"), 400, "shippingAddress" },
        { "POST", "/api/orders", Order(address: Address.Replace("\"NL\"", "\"nl\"", StringComparison.Ordinal)), 400, "shippingAddress.country" },
        { "POST", "/api/orders", Order(address: Address.Replace("\"NL\"", "\"XX\"", StringComparison.Ordinal)), 400, "shippingAddress.country" },
        { "POST", "/api/orders", Order(address: Address.Replace("\"NL\"", "\"NLD\"", StringComparison.Ordinal)), 400, "shippingAddress.country" },
        { "POST", "/api/orders", Order(address: Address.Replace("\"N\"", "\"\"", StringComparison.Ordinal)), 400, "shippingAddress.name" },
        { "POST", "/api/orders", Order(address: Address.Replace("\"city\": \"C\", ", "", StringComparison.Ordinal)), 400, "shippingAddress.city" },
        { "POST", "/api/orders", Order(items: """[{ "sku": "NO-SUCH-SKU", "quantity": 1 }]"""), 404, null },
        { "POST", "/api/orders", "{ not json", 400, null },
        { "POST", "/api/orders", Order(address: Address.Replace("\"L\"", $"\"{new string('L', 70_000)}\"", StringComparison.Ordinal)), 413, null },
        { "PUT", "/api/products/NEW-SKU", $$"""{ "name": "{{new string('n', 70_000)}}", "price": 1, "stock": 1 }""", 413, null },
        { "POST", "/api/orders", """{ "customerId": 42 }""", 400, "customerId" },
        { "POST", "/api/orders", Order(items: $$"""[{ "sku": "{{Sku}}", "quantity": "2" }]"""), 400, "items[0].quantity" },
        { "PUT", "/api/products/NEW-SKU", """{ "name": "n", "price": "1", "stock": 1 }""", 400, "price" },
        { "POST", $"/api/products/{Sku}/restock", """{ "quantity": "5" }""", 400, "quantity" },
        { "GET", "/api/customers/bad%20customer/orders", "", 400, "customerId" },
        { "GET", "/api/customers/bad%20customer/loyalty", "", 400, "customerId" },
        { "GET", "/api/customers/bad%20customer/notifications", "", 400, "customerId" },
    };

    private static string Order(string? customer = null, string? items = null, string? token = null, string? address = null) => $$"""
        {
          "customerId": {{customer ?? $"\"{Customer}\""}},
          "items": {{items ?? $$"""[{ "sku": "{{Sku}}", "quantity": 1 }]"""}},
          "paymentToken": {{token ?? "\"tok_visa\""}},
          "shippingAddress": {{address ?? Address}}
        }
        """;
}

public abstract class ValidationApiTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime
    where THost : HostFixture
{
    private const string Sku = ValidationRequests.Sku;
    private const string Customer = ValidationRequests.Customer;


    public async Task InitializeAsync() => await host.PutProductAsync(Sku, 10m, 5);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(ValidationRequests.All), MemberType = typeof(ValidationRequests))]
    public async Task Bad_input_gets_a_problem_with_the_right_status_and_changes_nothing(string method, string path, string body, int status, string? field)
    {
        var before = await StateAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method != "GET")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await host.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        if (field is not null)
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {problem.RootElement}");
        }

        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\u007f")]
    [InlineData("tab\tinside")]
    [InlineData(null)]
    public async Task A_malformed_idempotency_key_is_a_400(string? key)
    {
        key ??= new string('k', 129);
        var before = await StateAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/orders", UriKind.Relative))
        {
            Content = JsonContent.Create(HostFixture.OrderBody(Customer, Sku)),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }


    /// <summary>What a bad request could have touched: the catalog, the customer's orders, the sales report.</summary>
    private async Task<string> StateAsync() => string.Join('\n',
        await host.Http.GetStringAsync(new Uri("/api/products", UriKind.Relative)),
        await host.Http.GetStringAsync(new Uri($"/api/customers/{Customer}/orders", UriKind.Relative)),
        await host.Http.GetStringAsync(new Uri("/api/reports/sales", UriKind.Relative)));
}
