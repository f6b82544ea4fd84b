using System.Net;
using System.Net.Http.Json;
using Marketplace.LoadTest.Invariants;
using Marketplace.LoadTest.Targets;
using Xunit.Abstractions;

namespace Marketplace.Tests.LocalEventHubs;

/// <summary>
/// Failure the way production fails: whole processes dying. Our Event Hubs endpoint, Azurite, and
/// three silo processes of the product on Azure Table membership in the <c>local</c> profile;
/// orders flow through every silo's HTTP API; one silo is SIGKILLed half way and a new one is started.
/// Every order ends, the seven invariants of API.md hold, and nothing is dead-lettered.
/// </summary>
public sealed class MultiProcessChaosTests(ITestOutputHelper output)
{
    private const int Orders = 150;

    [Fact]
    public async Task Three_silo_processes_one_killed_half_way_and_one_started_every_order_ends_with_all_invariants()
    {
        await using var endpoint = LocalEventHubsEndpoint.With(LocalEventHubsEndpoint.MarketplaceHub(4));
        await endpoint.InitializeAsync();
        var clusterId = Shop.NewId("cluster");
        var settings = new Dictionary<string, string>
        {
            ["Marketplace:Profile"] = "local",
            ["ConnectionStrings:Tables"] = await Azurite.ConnectionStringAsync(),
            ["ConnectionStrings:EventHubs"] = endpoint.ConnectionString,
            ["Marketplace:Tables:GrainState"] = Azurite.NewTableName("state"),
            ["Marketplace:Tables:Membership"] = Azurite.NewTableName("members"),
            ["Marketplace:Tables:Checkpoints"] = Azurite.NewTableName("checkpoints"),
            ["Marketplace:EventHubs:PartitionCount"] = "4",
            ["Marketplace:EventHubs:CheckpointInterval"] = "00:00:01",
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            // Find the dead silo in seconds rather than the production default of about a minute.
            ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
            ["Orleans:Membership:NumMissedProbesLimit"] = "2",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        List<SiloProcess> silos = [SiloProcess.Start(settings), SiloProcess.Start(settings), SiloProcess.Start(settings)];
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitReadyAsync()));
            var skus = Enumerable.Range(1, 4).Select(i => Shop.NewId($"MP{i}")).ToArray();
            var stock = skus.ToDictionary(s => s, _ => 60);
            foreach (var sku in skus)
            {
                Assert.Equal(HttpStatusCode.OK, (await silos[0].Http.PutAsJsonAsync($"/api/products/{sku}", new { name = sku, price = 3.5m, stock = stock[sku] })).StatusCode);
            }

            var random = new Random(150);
            string[] tokens = [PaymentTokens.Visa, PaymentTokens.Visa, PaymentTokens.Mastercard, PaymentTokens.ChargeDeclined];
            var requests = Enumerable.Range(0, Orders)
                .Select(i => (Key: Guid.NewGuid().ToString(), Body: HostFixture.OrderBody(Shop.NewId("cust"), skus[random.Next(skus.Length)], random.Next(1, 4), tokens[random.Next(tokens.Length)])))
                .ToList();

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var alive = silos.ToList();
            var ids = new List<string>();
            ids.AddRange(await PlaceAllAsync(alive, requests.Take(Orders / 2)));

            var victim = alive[1];
            victim.Kill(); // SIGKILL: its activations, its stream partitions and whatever it had in flight
            alive.Remove(victim);
            output.WriteLine($"killed a silo after {Orders / 2} orders, {clock.Elapsed.TotalSeconds:F1} s");
            ids.AddRange(await PlaceAllAsync(alive, requests.Skip(Orders / 2)));

            var newcomer = SiloProcess.Start(settings);
            silos.Add(newcomer);
            await newcomer.WaitReadyAsync();
            alive.Add(newcomer);
            output.WriteLine($"placed all {Orders} orders and started a new silo, {clock.Elapsed.TotalSeconds:F1} s");

            await using var view = new HttpTarget(newcomer.Http.BaseAddress!);
            var report = await InvariantChecker.CheckWhenQuietAsync(view, new ShopHistory(ids, stock), TimeSpan.FromMinutes(3));
            output.WriteLine($"settled after {clock.Elapsed.TotalSeconds:F1} s: {report.Fulfilled} fulfilled, {report.Cancelled} cancelled, {report.StillPlaced} placed");
            Assert.True(report.Holds, $"{report.Violations.Count} invariant(s) broken:\n{string.Join("\n", report.Violations.Take(20))}\n{Logs(silos)}");
            Assert.Equal(Orders, ids.Distinct().Count());
            Assert.Equal(Orders, report.Fulfilled + report.Cancelled);
            Assert.Equal("[]", await newcomer.Http.GetStringAsync(new Uri("/api/admin/dead-letters", UriKind.Relative)));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Places orders ten at a time, round robin over the live silos. A request that fails (the silo
    /// died under it, or a grain was on the dead silo) is sent again with the same Idempotency-Key to
    /// the next silo, so an order accepted before the failure is not placed twice.
    /// </summary>
    private static async Task<List<string>> PlaceAllAsync(List<SiloProcess> alive, IEnumerable<(string Key, object Body)> requests)
    {
        var ids = new List<string>();
        foreach (var chunk in requests.Chunk(10))
        {
            ids.AddRange(await Task.WhenAll(chunk.Select((request, i) => PlaceAsync(alive, request, i))));
        }

        return ids;
    }

    private static async Task<string> PlaceAsync(List<SiloProcess> alive, (string Key, object Body) request, int start)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var silo = alive[(start + attempt) % alive.Count];
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(request.Body) };
                message.Headers.Add("Idempotency-Key", request.Key);
                using var response = await silo.Http.SendAsync(message);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return (await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId;
                }

                last = new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"Order {request.Key} could not be placed", last);
    }

    private static string Logs(IEnumerable<SiloProcess> silos) =>
        string.Join("\n---\n", silos.Select(s => s.Output[^Math.Min(4000, s.Output.Length)..]));
}
