using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Marketplace.LoadTest.Invariants;
using Marketplace.LoadTest.Targets;
using Xunit.Abstractions;

namespace Marketplace.Tests.LocalEventHubs;

/// <summary>
/// Every silo of the cluster SIGKILLed at once (a host failure, a botched rollout), three new ones
/// started with the same cluster id on the same membership table and hub. The dead silos' rows say
/// Active until someone declares them dead, and their partition leases hold until they lapse: the
/// new cluster must get past both and take orders again within 30 seconds, losing none.
/// </summary>
public sealed class FullClusterCrashTests(ITestOutputHelper output)
{
    private const int Silos = 3;

    [Fact]
    public async Task Three_silos_killed_together_and_three_new_ones_take_orders_within_30_s_with_every_invariant()
    {
        await using var endpoint = LocalEventHubsEndpoint.With(LocalEventHubsEndpoint.MarketplaceHub(4));
        await endpoint.InitializeAsync();
        var settings = await SiloProcess.TableClusterSettingsAsync(Shop.NewId("cluster"));
        settings["ConnectionStrings:EventHubs"] = endpoint.ConnectionString;
        settings["Marketplace:Tables:Checkpoints"] = Azurite.NewTableName("checkpoints");
        settings["Marketplace:EventHubs:PartitionCount"] = "4";

        var first = Enumerable.Range(0, Silos).Select(_ => SiloProcess.Start(settings)).ToList();
        var second = new List<SiloProcess>();
        try
        {
            await Task.WhenAll(first.Select(s => s.WaitReadyAsync()));
            await Eventually.Get(async () => await first[0].ClusterAsync() is { Count: Silos } silos && silos.All(s => s.Status == "Active") ? silos : null, "the first cluster to form");
            var sku = Shop.NewId("SKU");
            var stock = new Dictionary<string, int> { [sku] = 100 };
            Assert.Equal(HttpStatusCode.OK, (await first[0].Http.PutAsJsonAsync($"/api/products/{sku}", new { name = sku, price = 3.5m, stock = stock[sku] })).StatusCode);
            var ids = new List<string>();
            for (var i = 0; i < 12; i++)
            {
                ids.Add(await PlaceAsync(first[i % Silos], sku));
            }

            first.ForEach(s => s.Kill()); // all at once, orders in flight
            var clock = Stopwatch.StartNew();
            second.AddRange(Enumerable.Range(0, Silos).Select(_ => SiloProcess.Start(settings)));

            // Within 30 s of the crash a new order is accepted and concluded.
            var recovered = await Eventually.Get(async () =>
            {
                try
                {
                    return await PlaceAsync(second[0], sku) is { } id && await ConcludedAsync(second[0], id) ? id : null;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Xunit.Sdk.XunitException)
                {
                    return null; // not ready yet
                }
            }, "a new order to be placed and concluded on the new cluster", TimeSpan.FromSeconds(30));
            output.WriteLine($"a new order concluded {clock.Elapsed.TotalSeconds:F1} s after the crash");
            ids.Add(recovered);

            await using var view = new HttpTarget(second[0].Http.BaseAddress!);
            var report = await InvariantChecker.CheckWhenQuietAsync(view, new ShopHistory(ids, stock), TimeSpan.FromMinutes(2));
            Assert.True(report.Holds, $"{report.Violations.Count} invariant(s) broken:\n{string.Join("\n", report.Violations.Take(20))}");
            Assert.Equal(ids.Count, report.Fulfilled + report.Cancelled);
            var cluster = await second[0].ClusterAsync();
            Assert.Equal(Silos, cluster.Count(s => s.Status == "Active"));
            Assert.Equal(Silos, cluster.Count(s => s.Status == "Dead"));
        }
        finally
        {
            foreach (var silo in first.Concat(second))
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static async Task<string> PlaceAsync(SiloProcess silo, string sku)
    {
        using var response = await silo.Http.PostAsJsonAsync("/api/orders", HostFixture.OrderBody(Shop.NewId("cust"), sku));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId;
    }

    private static async Task<bool> ConcludedAsync(SiloProcess silo, string orderId)
    {
        // The new order's own journey: it must conclude now, on the new cluster.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await silo.Http.GetFromJsonAsync<OrderSnapshot>($"/api/orders/{orderId}", MarketplaceJson.Options) is { Status: not OrderStatus.Placed })
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
