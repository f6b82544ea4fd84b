using System.CommandLine;
using Marketplace.LocalEventHubs.Configuration;
using Microsoft.Extensions.Logging;

namespace Marketplace.LocalEventHubs;

/// <summary>The endpoint as its own process: <c>dotnet run --project src/Marketplace.LocalEventHubs -- --port 5672</c>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var port = new Option<int>("--port") { Description = "The AMQP port.", DefaultValueFactory = _ => 5672 };
        var data = new Option<string>("--data") { Description = "The folder for the partitions' logs (kept across restarts).", DefaultValueFactory = _ => ".local-eventhubs" };
        var config = new Option<FileInfo>("--config") { Description = "The emulator's Config.json: hubs, partitions, consumer groups.", DefaultValueFactory = _ => new FileInfo(Path.Combine("infra", "local", "Config.json")) };
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var root = new RootCommand("An Event Hubs-compatible AMQP endpoint for local runs and tests, without Docker.") { port, data, config, host };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var configFile = parse.GetValue(config)!;
            if (!configFile.Exists)
            {
                Console.Error.WriteLine($"No Config.json at {configFile.FullName}: pass --config.");
                return 2;
            }

            using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
            var options = new LocalEventHubsOptions
            {
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                DataDirectory = parse.GetValue(data)!,
                Hubs = HubDefinition.FromEmulatorConfig(await File.ReadAllTextAsync(configFile.FullName, cancellationToken)),
            };
            await using var server = LocalEventHubsServer.Start(options, logging.CreateLogger("LocalEventHubs"));
            Console.WriteLine($"Connection string: {options.ConnectionString}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: close connections and logs
            }

            return 0;
        });
        return await root.Parse(args).InvokeAsync();
    }
}
