using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// Real Azure Storage endpoints for the tests: Azurite's Table and Blob services (Blob for the Event
/// Hubs partition leases) from the repository's own node_modules, on free ports, in memory, started
/// once per test run and stopped with it. The connection string names both.
/// Set <c>MARKETPLACE_TEST_TABLES</c> to a connection string to use another account instead.
/// </summary>
public static class Azurite
{
    /// <summary>The well-known development account every Azurite accepts.</summary>
    private const string DevelopmentAccount =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;";

    private static readonly Lazy<Task<string>> Endpoint = new(StartAsync);

    public static Task<string> ConnectionStringAsync() => Endpoint.Value;

    /// <summary>A table name no other fixture uses, so tests never see each other's rows.</summary>
    public static string NewTableName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 20)];

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("MARKETPLACE_TEST_TABLES") is { Length: > 0 } given)
        {
            return given;
        }

        var script = Path.Combine(RepoRoot(), "node_modules", ".bin", "azurite");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script}); run 'npm ci' in the repository root.");
        }

        var (table, blob, queue) = (Ports.Free(), Ports.Free(), Ports.Free());
        var azurite = Process.Start(new ProcessStartInfo(script)
        {
            ArgumentList =
            {
                "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                "--tableHost", "127.0.0.1", "--tablePort", Port(table),
                "--blobHost", "127.0.0.1", "--blobPort", Port(blob),
                "--queueHost", "127.0.0.1", "--queuePort", Port(queue), // not used, but Azurite starts it
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(azurite);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                foreach (var port in new[] { table, blob })
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                }

                return $"{DevelopmentAccount}TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;";
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !azurite.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Marketplace.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test binaries.");
    }
}
