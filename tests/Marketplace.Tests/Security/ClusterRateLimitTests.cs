using System.Net;
using System.Net.Http.Json;
using Marketplace.Silo.Security;

namespace Marketplace.Tests.Security;

/// <summary>
/// The order limit is the caller's across the cluster: two host processes of one cluster (Table
/// membership on Azurite) answer one caller from one window, not a window each.
/// </summary>
public sealed class ClusterRateLimitTests
{
    private const int Limit = 3;
    private const string AdminKey = "admin-key-0123456789abcdef";
    private const string CustomerKey = "customer-key-0123456789abcdef";
    private const string Customer = "limited-customer";

    [Fact]
    public async Task A_caller_gets_the_limit_once_however_many_hosts_answer_it()
    {
        var settings = await SiloProcess.TableClusterSettingsAsync(Shop.NewId("cluster"));
        settings["Marketplace:Streams"] = "memory";
        settings["Marketplace:Auth:Mode"] = "apikey";
        settings[$"Marketplace:Auth:ApiKeys:{AdminKey}"] = "admin";
        settings[$"Marketplace:Auth:ApiKeys:{CustomerKey}"] = $"customer:{Customer}";
        settings["Marketplace:RateLimits:Orders:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var first = SiloProcess.Start(settings);
        await first.WaitReadyAsync();
        await using var second = SiloProcess.Start(settings);
        await second.WaitReadyAsync();
        var sku = Shop.NewId("SKU");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(first, HttpMethod.Put, $"/api/products/{sku}", AdminKey, new { name = "Widget", price = 1m, stock = 100 })).StatusCode);

        // Three orders, spread over both hosts: the caller's three permits.
        SiloProcess[] hosts = [first, second, first];
        foreach (var host in hosts)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, HttpMethod.Post, "/api/orders", CustomerKey, HostFixture.OrderBody(Customer, sku))).StatusCode);
        }

        // The fourth is refused by either host, and nothing more is placed.
        foreach (var host in new[] { second, first })
        {
            var refused = await SendAsync(host, HttpMethod.Post, "/api/orders", CustomerKey, HostFixture.OrderBody(Customer, sku));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {refused.Headers.RetryAfter}");
        }

        var orders = await (await SendAsync(second, HttpMethod.Get, $"/api/customers/{Customer}/orders", AdminKey)).Content.ReadFromJsonAsync<OrderSnapshot[]>(MarketplaceJson.Options);
        Assert.Equal(Limit, orders!.Length);
    }

    private static Task<HttpResponseMessage> SendAsync(SiloProcess host, HttpMethod method, string path, string key, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
        return host.Http.SendAsync(request);
    }
}
