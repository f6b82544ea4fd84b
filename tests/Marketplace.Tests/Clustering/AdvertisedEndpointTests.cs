using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Marketplace.Tests.Clustering;

/// <summary>
/// A silo behind a port mapping, as on Container Apps (an app's exposed ports in front of its
/// target ports): it listens on one pair of ports and advertises another, and the other silo and
/// clients reach it only through the mapping.
/// </summary>
public sealed class AdvertisedEndpointTests
{
    [Fact]
    public async Task A_silo_listening_on_one_port_and_advertising_another_joins_through_the_mapping_and_serves_orders()
    {
        var settings = await SiloProcess.TableClusterSettingsAsync(Shop.NewId("cluster"));
        settings["Marketplace:Streams"] = "memory";
        var (silo, gateway) = ((Advertised: Ports.Free(), Listening: Ports.Free()), (Advertised: Ports.Free(), Listening: Ports.Free()));
        await using var siloMapping = new PortForward(silo.Advertised, silo.Listening);
        await using var gatewayMapping = new PortForward(gateway.Advertised, gateway.Listening);

        await using var mapped = SiloProcess.Start(new Dictionary<string, string>(settings)
        {
            ["Orleans:SiloPort"] = Text(silo.Advertised),
            ["Orleans:SiloListeningPort"] = Text(silo.Listening),
            ["Orleans:GatewayPort"] = Text(gateway.Advertised),
            ["Orleans:GatewayListeningPort"] = Text(gateway.Listening),
        });
        await mapped.WaitReadyAsync();

        // The second silo joins after: before it may join, it must reach the first at its advertised
        // endpoint (Orleans' join check), which only the mapping serves.
        await using var plain = SiloProcess.Start(settings);
        await plain.WaitReadyAsync();
        Assert.True(siloMapping.Connections > 0, "the joining silo reached the mapped one through its advertised port");

        // One cluster, the mapped silo known by its advertised endpoint only.
        var cluster = await Eventually.Get(async () => await plain.ClusterAsync() is { Count: 2 } silos && silos.All(s => s.Status == "Active") ? silos : null,
            "both silos active in one cluster");
        Assert.Contains($"127.0.0.1:{silo.Advertised}", cluster.Select(s => s.Address));
        Assert.DoesNotContain(cluster, s => s.Address.EndsWith($":{silo.Listening}", StringComparison.Ordinal));

        // Orders through both silos conclude: grains on either are called from the other.
        var sku = Shop.NewId("SKU");
        Assert.Equal(HttpStatusCode.OK, (await plain.Http.PutAsJsonAsync($"/api/products/{sku}", new { name = "Widget", price = 4.5m, stock = 100 })).StatusCode);
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var response = await (i % 2 == 0 ? mapped : plain).Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(Shop.NewId("cust"), sku));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId);
        }

        foreach (var id in ids)
        {
            var order = await Eventually.Get(async () => await plain.Http.GetFromJsonAsync<OrderSnapshot>($"/api/orders/{id}", MarketplaceJson.Options) is { Status: not OrderStatus.Placed } o ? o : null,
                $"order {id} to conclude", TimeSpan.FromSeconds(60));
            Assert.Equal(OrderStatus.Fulfilled, order.Status);
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
