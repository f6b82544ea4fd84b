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

            IReadOnlyList<HubDefinition> hubs;
            try
            {
                hubs = HubDefinition.FromEmulatorConfig(await File.ReadAllTextAsync(configFile.FullName, cancellationToken));
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
            {
                // The same file feeds Microsoft's emulator, which would refuse it too.
                Console.Error.WriteLine($"{configFile.FullName} is not a valid emulator config:{Environment.NewLine}{ex.Message}");
                return 2;
            }

            using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
            var options = new LocalEventHubsOptions
            {
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                DataDirectory = parse.GetValue(data)!,
                Hubs = hubs,
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
        var events = new Option<int>("--events", "-n") { Description = "Events to send, then read.", DefaultValueFactory = _ => 100_000 };
        var batch = new Option<int>("--batch") { Description = "Events per send.", DefaultValueFactory = _ => 100 };
        var producers = new Option<int>("--producers") { Description = "Producers sending at once.", DefaultValueFactory = _ => 4 };
        var size = new Option<int>("--size") { Description = "Body bytes per event.", DefaultValueFactory = _ => 256 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the benchmark hub.", DefaultValueFactory = _ => 8 };
        var benchmark = new Command("benchmark", "Measures events/s in and out through the official client, on a fresh endpoint in this process.")
        {
            events, batch, producers, size, partitions,
        };
        benchmark.SetAction((parse, cancellationToken) => Benchmark.RunAsync(
            parse.GetValue(events), parse.GetValue(batch), parse.GetValue(producers), parse.GetValue(size), parse.GetValue(partitions), cancellationToken));
        root.Subcommands.Add(benchmark);
        return await root.Parse(args).InvokeAsync();
    }
}
