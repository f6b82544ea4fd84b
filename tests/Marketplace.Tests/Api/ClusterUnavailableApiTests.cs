using System.Net;
using System.Net.Http.Json;

namespace Marketplace.Tests.Api;

/// <summary>An API tier whose only silo the test kills.</summary>
public sealed class LoneSiloApiTierHostFixture : HostFixture
{
    protected override bool OnTheApiTier => true;
}

/// <summary>
/// When the cluster cannot answer (here: the API tier's only silo SIGKILLed), every request is a
/// 503 problem with <c>Retry-After</c>, the answer a client retries on; never a 500.
/// </summary>
public sealed class ClusterUnavailableApiTests(LoneSiloApiTierHostFixture host) : IClassFixture<LoneSiloApiTierHostFixture>
{
    [Fact]
    public async Task With_no_silo_left_requests_are_503_with_Retry_After()
    {
        var sku = Shop.NewId("SKU");
        using (var put = await host.Http.PutAsJsonAsync($"/api/products/{sku}", new { name = "Lamp", price = 10m, stock = 5 }, MarketplaceJson.Options))
        {
            put.EnsureSuccessStatusCode();
        }

        host.SiloBehind!.Kill();

        using var place = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(HostFixture.OrderBody(Shop.NewId("cust"), sku), options: MarketplaceJson.Options),
        };
        place.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        foreach (var request in new[] { place, new HttpRequestMessage(HttpMethod.Get, $"/api/products/{sku}") })
        {
            using var response = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            request.Dispose();
        }
    }
}
