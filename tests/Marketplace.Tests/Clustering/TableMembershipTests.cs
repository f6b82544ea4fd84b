using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;

namespace Marketplace.Tests.Clustering;

/// <summary>
/// Two silo processes of the product, on Azure Table membership and state (Azurite), form one
/// cluster; one is killed; the survivor serves every order and its state, and takes new orders.
/// </summary>
public sealed class TableMembershipTests
{
    private const int Orders = 20;

    [Fact]
    public async Task Two_silos_form_one_cluster_and_the_survivor_serves_every_order_after_the_other_is_killed()
    {
        var tables = await Azurite.ConnectionStringAsync();
        var membershipTable = Azurite.NewTableName("members");
        var clusterId = Shop.NewId("cluster");
        var settings = new Dictionary<string, string>
        {
            ["Marketplace:Profile"] = "local",
            ["Marketplace:Streams"] = "memory",
            ["ConnectionStrings:Tables"] = tables,
            ["Marketplace:Tables:GrainState"] = Azurite.NewTableName("state"),
            ["Marketplace:Tables:Membership"] = membershipTable,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            // Find the dead silo in seconds rather than the production default of about a minute.
            ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
            ["Orleans:Membership:NumMissedProbesLimit"] = "2",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        await using var survivor = SiloProcess.Start(settings);
        await using var victim = SiloProcess.Start(settings);
        await Task.WhenAll(survivor.WaitReadyAsync(), victim.WaitReadyAsync());

        var members = new TableServiceClient(tables).GetTableClient(membershipTable);
        await Eventually.Get(async () => await StatusesAsync(members, clusterId) is { Active: 2 } s ? s : null, "both silos to be active in one cluster");

        // Either silo's API shows both, and between them they read every queue, none twice.
        var cluster = await Eventually.Get(async () => await victim.ClusterAsync() is { Count: 2 } silos && silos.All(s => s.Status == "Active")
            && silos.SelectMany(s => s.Partitions).Order(StringComparer.Ordinal).SequenceEqual(Queues) ? silos : null, "both silos in the cluster view, the queues shared");
        Assert.Equal(cluster.Select(s => s.Address).Order(StringComparer.Ordinal), (await survivor.ClusterAsync()).Select(s => s.Address).Order(StringComparer.Ordinal));

        // Orders through both gateways, so grains and queues live on both silos.
        var sku = Shop.NewId("SKU");
        Assert.Equal(HttpStatusCode.OK, (await survivor.Http.PutAsJsonAsync($"/api/products/{sku}", new { name = "Widget", price = 4.5m, stock = 1000 })).StatusCode);
        var ids = new List<string>();
        for (var i = 0; i < Orders; i++)
        {
            var silo = i % 2 == 0 ? survivor : victim;
            var response = await silo.Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(Shop.NewId("cust"), sku, 1 + (i % 3)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId);
        }

        foreach (var id in ids)
        {
            await SettledAsync(survivor, id);
        }

        var before = await ReadAllAsync(survivor, ids);

        victim.Kill();

        var after = await Eventually.Get(async () =>
        {
            try
            {
                return await ReadAllAsync(survivor, ids);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Xunit.Sdk.XunitException)
            {
                return null; // grains that lived on the dead silo come back once it is declared dead
            }
        }, "the survivor to serve every order", TimeSpan.FromSeconds(90));
        Assert.Equal(before, after);
        await Eventually.Get(async () => await StatusesAsync(members, clusterId) is { Active: 1, Dead: 1 } s ? s : null, "the killed silo to be declared dead");
        await Eventually.Get(async () => await survivor.ClusterAsync() is { Count: 2 } silos
            && silos.Single(s => s.Status == "Dead").Partitions.Length == 0
            && silos.Single(s => s.Status == "Active").Partitions.Order(StringComparer.Ordinal).SequenceEqual(Queues) ? silos : null,
            "the dead silo listed as dead, its queues taken over by the survivor");

        var next = await survivor.Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(Shop.NewId("cust"), sku));
        var order = (await next.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!;
        Assert.Equal(OrderStatus.Fulfilled, (await SettledAsync(survivor, order.OrderId)).Status);
        var product = await survivor.Http.GetFromJsonAsync<ProductSnapshot>($"/api/products/{sku}", MarketplaceJson.Options);
        Assert.Equal(0, product!.Reserved);
    }

    private static Task<OrderSnapshot> SettledAsync(SiloProcess silo, string orderId) => Eventually.Get(async () =>
    {
        var order = await silo.Http.GetFromJsonAsync<OrderSnapshot>($"/api/orders/{orderId}", MarketplaceJson.Options);
        if (order!.Status == OrderStatus.Placed)
        {
            return null;
        }

        using var timeline = System.Text.Json.JsonDocument.Parse(await silo.Http.GetStringAsync(new Uri($"/api/orders/{orderId}/timeline", UriKind.Relative)));
        return timeline.RootElement.EnumerateArray().All(e => e.GetProperty("pending").GetArrayLength() == 0) ? order : null;
    }, $"order {orderId} to settle", TimeSpan.FromSeconds(60));

    /// <summary>Every order with its payment and shipment, as the API shows them.</summary>
    private static async Task<string> ReadAllAsync(SiloProcess silo, IEnumerable<string> ids)
    {
        var parts = new List<string>();
        foreach (var id in ids)
        {
            foreach (var path in new[] { $"/api/orders/{id}", $"/api/payments/{id}", $"/api/shipments/{id}" })
            {
                var response = await silo.Http.GetAsync(new Uri(path, UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                parts.Add(await response.Content.ReadAsStringAsync());
            }
        }

        return string.Join('\n', parts);
    }

    private sealed record Statuses(int Active, int Dead);

    private static readonly string[] Queues = ["0", "1", "2", "3", "4", "5", "6", "7"];

    /// <summary>The silos of this cluster as Orleans' membership table records them.</summary>
    private static async Task<Statuses> StatusesAsync(TableClient members, string clusterId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in members.QueryAsync<TableEntity>(e => e.PartitionKey == clusterId))
        {
            rows.Add(row);
        }

        var statuses = rows.Select(r => r.GetString("Status")).Where(s => s is not null).ToList();
        return new Statuses(statuses.Count(s => s == "Active"), statuses.Count(s => s == "Dead"));
    }
}
