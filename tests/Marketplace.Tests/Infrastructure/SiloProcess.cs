using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// The product's own host (<c>Marketplace.Silo.dll</c>) as a separate OS process, configured only by
/// command-line settings, as an operator would run it. Killing it is a real process death.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        // As long as a grain call may take (30 s): a fresh two-silo cluster on Azurite, under the whole suite, pays its first activations slowly.
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Http { get; }

    /// <summary>What the process printed, for the failure message of a test.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static SiloProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var httpPort = Ports.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Marketplace.Silo.dll"));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{httpPort}");
        start.ArgumentList.Add($"--Orleans:SiloPort={Ports.Free().ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"--Orleans:GatewayPort={Ports.Free().ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        return new SiloProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{httpPort}"));
    }

    /// <summary>
    /// Settings for silo processes of one cluster in the <c>local</c> profile on Azure Table membership
    /// and state (Azurite), in tables of its own; a test adds what it varies.
    /// </summary>
    public static async Task<Dictionary<string, string>> TableClusterSettingsAsync(string clusterId) => new()
    {
        ["Marketplace:Profile"] = "local",
        ["ConnectionStrings:Tables"] = await Azurite.ConnectionStringAsync(),
        ["Marketplace:Tables:GrainState"] = Azurite.NewTableName("state"),
        ["Marketplace:Tables:Membership"] = Azurite.NewTableName("members"),
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = clusterId,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public Task WaitReadyAsync() => Eventually.Get<object>(async () =>
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The silo exited with {process.ExitCode}:\n{Output}");
        }

        try
        {
            return (await Http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode ? new object() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }, "the silo to be ready", TimeSpan.FromSeconds(60));

    /// <summary>The cluster as this silo's <c>GET /api/admin/cluster</c> shows it.</summary>
    public async Task<List<Marketplace.Silo.Api.ClusterSilo>> ClusterAsync()
    {
        var response = await Http.GetAsync(new Uri("/api/admin/cluster", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {Output}");
        return (await response.Content.ReadFromJsonAsync<List<Marketplace.Silo.Api.ClusterSilo>>(MarketplaceJson.Options))!;
    }

    /// <summary>What <c>/health/ready</c> answers: its status code and <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ReadinessAsync()
    {
        using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>SIGTERM, as a container platform stops a replica: the silo leaves the cluster gracefully.</summary>
    public async Task StopAsync()
    {
        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>An abrupt death: no graceful shutdown, no goodbye to the cluster.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
