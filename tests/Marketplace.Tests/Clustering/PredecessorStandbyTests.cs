using System.Globalization;
using System.Net;
using Azure.Data.Tables;

namespace Marketplace.Tests.Clustering;

/// <summary>
/// A silo app's revision swap on Container Apps: the new silo starts beside the old one, both
/// advertising the app's endpoint, and the old one is stopped only once the new one is ready.
/// </summary>
public sealed class PredecessorStandbyTests
{
    [Fact]
    public async Task A_new_silo_at_a_live_silos_endpoint_stands_by_ready_and_joins_once_the_old_one_has_stopped()
    {
        var settings = await SiloProcess.TableClusterSettingsAsync(Shop.NewId("cluster"));
        settings["Marketplace:Role"] = "silo"; // as deployed: health endpoints only
        settings["Marketplace:Streams"] = "memory";
        settings["Orleans:SiloPort"] = Text(Ports.Free());
        settings["Orleans:GatewayPort"] = Text(Ports.Free());
        await using var old = SiloProcess.Start(settings);
        await old.WaitReadyAsync();

        // Same advertised endpoint; its own listening ports, as two replicas of one app have.
        await using var successor = SiloProcess.Start(new Dictionary<string, string>(settings)
        {
            ["Orleans:SiloListeningPort"] = Text(Ports.Free()),
            ["Orleans:GatewayListeningPort"] = Text(Ports.Free()),
        });
        var standingBy = await Eventually.Get(async () => await TryReadinessAsync(successor) is { Status: HttpStatusCode.OK } r ? r.Body : null, "the successor to report ready");
        Assert.Equal("Degraded", standingBy);

        // Longer than the old silo's "I am alive" may be missed (6 s): the old silo is alive, so the
        // successor keeps waiting, and the old one is not declared dead (Orleans would, at once).
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await successor.ReadinessAsync());
        Assert.False(old.HasExited, old.Output);
        Assert.Equal(["Active"], await StatusesAsync(settings));

        await old.StopAsync();
        Assert.Equal(0, old.ExitCode);

        await Eventually.Get(async () => await successor.ReadinessAsync() is (HttpStatusCode.OK, "Healthy") ? new object() : null,
            "the successor to join once the old silo has left", TimeSpan.FromSeconds(60));
        Assert.Equal(["Dead", "Active"], await StatusesAsync(settings));
    }

    [Fact]
    public async Task A_new_silo_at_a_dead_silos_endpoint_joins_once_the_dead_one_has_missed_its_i_am_alive()
    {
        var settings = await SiloProcess.TableClusterSettingsAsync(Shop.NewId("cluster"));
        settings["Marketplace:Role"] = "silo";
        settings["Marketplace:Streams"] = "memory";
        settings["Orleans:SiloPort"] = Text(Ports.Free());
        settings["Orleans:GatewayPort"] = Text(Ports.Free());
        // A dead silo's row goes stale after two missed "I am alive" writes (6 s by default); a
        // successor slower than that to start (a loaded machine) would find it stale and not wait.
        // 20 s here: the successor always meets a fresh row, and joins once it has gone stale.
        settings["Orleans:Membership:IAmAliveTablePublishTimeout"] = "00:00:10";
        await using var crashed = SiloProcess.Start(settings);
        await crashed.WaitReadyAsync();
        crashed.Kill();

        settings["Logging:LogLevel:Marketplace.Silo.Hosting.PredecessorStandby"] = "Information";
        await using var restarted = SiloProcess.Start(settings);
        await Eventually.Get(async () => await TryReadinessAsync(restarted) is { Body: "Healthy" } ? new object() : null,
            "the restarted silo to join", TimeSpan.FromSeconds(60));
        Assert.Equal(["Dead", "Active"], await StatusesAsync(settings));
        Assert.Contains("Standing by", restarted.Output, StringComparison.Ordinal); // it did wait, and said so
    }

    private static async Task<(HttpStatusCode Status, string Body)?> TryReadinessAsync(SiloProcess silo)
    {
        try
        {
            return await silo.ReadinessAsync();
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
    }

    /// <summary>The statuses of the cluster's rows in Orleans' membership table, oldest silo first.</summary>
    private static async Task<List<string>> StatusesAsync(Dictionary<string, string> settings)
    {
        var members = new TableServiceClient(settings["ConnectionStrings:Tables"]).GetTableClient(settings["Marketplace:Tables:Membership"]);
        var rows = new List<TableEntity>();
        await foreach (var row in members.QueryAsync<TableEntity>(e => e.PartitionKey == settings["Orleans:ClusterId"]))
        {
            if (row.GetString("Generation") is not null) // not the table's version row
            {
                rows.Add(row);
            }
        }

        return [.. rows.OrderBy(r => int.Parse(r.GetString("Generation"), CultureInfo.InvariantCulture)).Select(r => r.GetString("Status"))];
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
