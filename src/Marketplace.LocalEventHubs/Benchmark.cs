using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Producer;
using Marketplace.LocalEventHubs.Configuration;
using Spectre.Console;

namespace Marketplace.LocalEventHubs;

/// <summary>
/// The endpoint's own throughput through the official client: events/s in (each send acknowledged,
/// so on disk) and out (every partition read from the start), printed, never asserted.
/// </summary>
internal static class Benchmark
{
    public static async Task<int> RunAsync(int events, int batchSize, int producers, int bodyBytes, int partitions, CancellationToken cancellationToken)
    {
        var data = Path.Combine(Path.GetTempPath(), $"local-eventhubs-bench-{Guid.NewGuid():N}");
        var options = new LocalEventHubsOptions
        {
            Port = FreePort(),
            DataDirectory = data,
            Hubs = [new HubDefinition("bench", partitions, new HashSet<string> { HubDefinition.DefaultConsumerGroup })],
        };
        try
        {
            await using var server = LocalEventHubsServer.Start(options);
            var body = new byte[bodyBytes];
            Random.Shared.NextBytes(body);

            var sendLatencies = new List<double>();
            var sending = Stopwatch.StartNew();
            var perProducer = events / producers;
            await Task.WhenAll(Enumerable.Range(0, producers).Select(async p =>
            {
                await using var producer = new EventHubProducerClient(options.ConnectionString, "bench");
                var latencies = new List<double>();
                for (var sent = 0; sent < perProducer; sent += batchSize)
                {
                    var batch = Enumerable.Range(0, Math.Min(batchSize, perProducer - sent)).Select(_ => new EventData(body)).ToList();
                    var started = Stopwatch.GetTimestamp();
                    await producer.SendAsync(batch, new SendEventOptions { PartitionKey = $"key-{p}-{sent / batchSize}" }, cancellationToken);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                lock (sendLatencies)
                {
                    sendLatencies.AddRange(latencies);
                }
            }));
            sending.Stop();
            var total = perProducer * producers;

            var reading = Stopwatch.StartNew();
            await using var client = new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, options.ConnectionString, "bench");
            var read = await Task.WhenAll((await client.GetPartitionIdsAsync(cancellationToken)).Select(async partition =>
            {
                var last = await client.GetPartitionPropertiesAsync(partition, cancellationToken);
                if (last.IsEmpty)
                {
                    return 0;
                }

                await using var receiver = new PartitionReceiver(EventHubConsumerClient.DefaultConsumerGroupName, partition, EventPosition.Earliest, options.ConnectionString, "bench",
                    new PartitionReceiverOptions { PrefetchCount = 1000 });
                var count = 0;
                for (var seen = -1L; seen < last.LastEnqueuedSequenceNumber;)
                {
                    foreach (var received in await receiver.ReceiveBatchAsync(500, TimeSpan.FromSeconds(1), cancellationToken))
                    {
                        seen = received.SequenceNumber;
                        count++;
                    }
                }

                return count;
            }));
            reading.Stop();

            sendLatencies.Sort();
            var table = new Table().AddColumns("", "value");
            table.AddRow("events", total.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("body / batch / producers / partitions", $"{bodyBytes} B / {batchSize} / {producers} / {partitions}");
            table.AddRow("[bold]in[/] (sent, acknowledged on disk)", $"{total / sending.Elapsed.TotalSeconds:N0} events/s, {total * (double)bodyBytes / sending.Elapsed.TotalSeconds / 1_048_576:N1} MiB/s");
            table.AddRow("send latency p50 / p99", $"{Percentile(sendLatencies, 0.5):N1} / {Percentile(sendLatencies, 0.99):N1} ms");
            table.AddRow("[bold]out[/] (every partition from the start)", $"{read.Sum() / reading.Elapsed.TotalSeconds:N0} events/s ({read.Sum():N0} read)");
            AnsiConsole.Write(table);
            return read.Sum() == total ? 0 : 1;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
