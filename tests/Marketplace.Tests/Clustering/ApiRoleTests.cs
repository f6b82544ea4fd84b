using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Tests.Clustering;

/// <summary>
/// The deployment's two tiers as processes: two silos (<c>Marketplace:Role</c> = <c>silo</c>,
/// health only) and an API process (<c>api</c>: an Orleans client, no silo) that serves the whole
/// HTTP surface, on Azure Table membership (Azurite).
/// </summary>
public sealed class ApiRoleTests
{
    [Fact]
    public async Task The_api_role_serves_orders_the_cluster_view_and_the_dashboard_through_a_client_and_the_silos_serve_only_health()
    {
        var settings = await SiloProcess.TableClusterSettingsAsync(Shop.NewId("cluster"));
        settings["Marketplace:Streams"] = "memory";
        await using var first = SiloProcess.Start(new Dictionary<string, string>(settings) { ["Marketplace:Role"] = "silo" });
        await using var second = SiloProcess.Start(new Dictionary<string, string>(settings) { ["Marketplace:Role"] = "silo" });
        await Task.WhenAll(first.WaitReadyAsync(), second.WaitReadyAsync());
        await using var api = SiloProcess.Start(new Dictionary<string, string>(settings) { ["Marketplace:Role"] = "api" });
        await api.WaitReadyAsync();

        // The silos serve health, not the API.
        Assert.Equal(HttpStatusCode.NotFound, (await first.Http.GetAsync(new Uri("/api/products", UriKind.Relative))).StatusCode);

        // The API process is no silo: the cluster it shows is the two silos, reading every queue between them.
        var cluster = await Eventually.Get(async () => await api.ClusterAsync() is { Count: 2 } silos && silos.All(s => s.Status == "Active")
            && silos.SelectMany(s => s.Partitions).Count() == 8 ? silos : null, "the two silos in the API's cluster view");
        Assert.Equal(2, cluster.Select(s => s.Address).Distinct().Count());

        // An order through the API process ends Fulfilled, with its timeline.
        var sku = Shop.NewId("SKU");
        Assert.Equal(HttpStatusCode.OK, (await api.Http.PutAsJsonAsync($"/api/products/{sku}", new { name = "Widget", price = 4.5m, stock = 10 })).StatusCode);
        var placed = await api.Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(Shop.NewId("cust"), sku));
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var orderId = (await placed.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId;
        var order = await Eventually.Get(async () => await api.Http.GetFromJsonAsync<OrderSnapshot>($"/api/orders/{orderId}", MarketplaceJson.Options) is { Status: not OrderStatus.Placed } o ? o : null,
            "the order to conclude", TimeSpan.FromSeconds(60));
        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        using var timeline = JsonDocument.Parse(await api.Http.GetStringAsync(new Uri($"/api/orders/{orderId}/timeline", UriKind.Relative)));
        Assert.Contains(timeline.RootElement.EnumerateArray(), e => e.GetProperty("type").GetString() == "OrderFulfilled");

        // The dashboard is served by the API process too, from the silos' dashboard grains.
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync(new Uri("/dashboard/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await first.Http.GetAsync(new Uri("/dashboard/", UriKind.Relative))).StatusCode);
    }
}
