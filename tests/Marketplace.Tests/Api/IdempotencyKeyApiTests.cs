using System.Net;
using System.Net.Http.Json;

namespace Marketplace.Tests.Api;

public sealed class IdempotencyKeyApiTests(HostFixture host) : IdempotencyKeyApiTests<HostFixture>(host), IClassFixture<HostFixture>;

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
[Collection(ApiTier.Name)]
public sealed class IdempotencyKeyApiTestsOnTheApiRole(ApiRoleHostFixture host) : IdempotencyKeyApiTests<ApiRoleHostFixture>(host);

public abstract class IdempotencyKeyApiTests<THost>(THost host)
    where THost : HostFixture
{
    [Fact]
    public async Task The_same_key_and_body_return_the_same_order_and_place_nothing_new()
    {
        var (sku, customer, key) = await NewScenarioAsync();

        var first = await PostAsync(HostFixture.OrderBody(customer, sku), key);
        var second = await PostAsync(HostFixture.OrderBody(customer, sku), key);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(HostFixture.OrderBody(customer, sku), key)));

        Assert.All(concurrent.Prepend(second).Prepend(first), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(concurrent.Prepend(second).Prepend(first).Select(async r => (await r.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId));
        Assert.Single(ids.Distinct());
        Assert.Single(await host.GetAsync<OrderSnapshot[]>($"/api/customers/{customer}/orders"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_409_and_changes_nothing()
    {
        var (sku, customer, key) = await NewScenarioAsync();
        var first = await PostAsync(HostFixture.OrderBody(customer, sku, quantity: 1), key);
        var order = (await first.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!;

        var conflict = await PostAsync(HostFixture.OrderBody(customer, sku, quantity: 2), key);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        var orders = await host.GetAsync<OrderSnapshot[]>($"/api/customers/{customer}/orders");
        Assert.Equal(order.OrderId, Assert.Single(orders).OrderId);
        Assert.Equal(1, orders[0].Items.Single().Quantity);
    }

    [Fact]
    public async Task A_key_whose_request_failed_validation_can_be_used_again()
    {
        var (sku, customer, key) = await NewScenarioAsync();

        var unknownSku = await PostAsync(HostFixture.OrderBody(customer, "NO-SUCH-SKU"), key);
        var corrected = await PostAsync(HostFixture.OrderBody(customer, sku), key);

        Assert.Equal(HttpStatusCode.NotFound, unknownSku.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
    }

    [Fact]
    public async Task The_same_key_from_two_customers_places_two_orders()
    {
        var (sku, customer, key) = await NewScenarioAsync();
        var other = Shop.NewId("cust");

        var first = await PostAsync(HostFixture.OrderBody(customer, sku), key);
        var second = await PostAsync(HostFixture.OrderBody(other, sku, quantity: 2), key); // another body: no 409 either

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode));
        var (mine, theirs) = (await host.GetAsync<OrderSnapshot[]>($"/api/customers/{customer}/orders"), await host.GetAsync<OrderSnapshot[]>($"/api/customers/{other}/orders"));
        Assert.NotEqual(Assert.Single(mine).OrderId, Assert.Single(theirs).OrderId);
        Assert.Equal(2, theirs[0].Items.Single().Quantity);
    }

    private async Task<(string Sku, string Customer, string Key)> NewScenarioAsync()
    {
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 5m, 100);
        return (sku, Shop.NewId("cust"), $"checkout {Guid.NewGuid()}");
    }

    private Task<HttpResponseMessage> PostAsync(object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/orders", UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return host.Http.SendAsync(request);
    }
}
