using System.Net;
using System.Net.Http.Json;

namespace Marketplace.Tests.Security;

/// <summary>Order placement is limited per caller: the one over the limit is 429 with Retry-After and places nothing.</summary>
public sealed class RateLimitTests(RateLimitedHostFixture host) : IClassFixture<RateLimitedHostFixture>
{
    [Fact]
    public async Task The_order_over_the_limit_is_429_with_retry_after_places_nothing_and_other_callers_go_on()
    {
        var sku = Shop.NewId("SKU");
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Put, $"/api/products/{sku}", Who.Admin, new { name = "Widget", price = 1m, stock = 100 })).StatusCode);
        var before = await OrdersOfAsync(host.CustomerId);

        for (var i = 0; i < RateLimitedHostFixture.Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PlaceAsync(Who.Customer, host.CustomerId, sku, Guid.NewGuid().ToString())).StatusCode);
        }

        var key = Guid.NewGuid().ToString();
        var refused = await PlaceAsync(Who.Customer, host.CustomerId, sku, key);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before + RateLimitedHostFixture.Limit, await OrdersOfAsync(host.CustomerId));
        var orderId = Marketplace.Grains.DeterministicIds.ForIdempotencyKey(host.CustomerId, key).ToString();
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"/api/orders/{orderId}", Who.Admin)).StatusCode);

        // The limit is the caller's, not the host's.
        Assert.Equal(HttpStatusCode.Accepted, (await PlaceAsync(Who.OtherCustomer, host.OtherCustomerId, sku, Guid.NewGuid().ToString())).StatusCode);
    }

    private Task<HttpResponseMessage> PlaceAsync(Who who, string customerId, string sku, string idempotencyKey) =>
        host.SendAsync(HttpMethod.Post, "/api/orders", who, HostFixture.OrderBody(customerId, sku), idempotencyKey);

    private async Task<int> OrdersOfAsync(string customerId) =>
        (await (await host.SendAsync(HttpMethod.Get, $"/api/customers/{customerId}/orders", Who.Admin)).Content.ReadFromJsonAsync<OrderSnapshot[]>(MarketplaceJson.Options))!.Length;

}
