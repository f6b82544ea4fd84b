using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Producer;
using Marketplace.LocalEventHubs.Storage;

namespace Marketplace.Tests.LocalEventHubs;

/// <summary>What was acknowledged stays: across a restart, a SIGKILL of the endpoint's process, and a torn last record.</summary>
public sealed class EndpointDurabilityTests
{
    private const int Events = 200;

    [Fact]
    public async Task Every_acknowledged_event_is_read_after_a_restart_with_its_sequence_number_and_the_producer_carries_on()
    {
        await using var endpoint = LocalEventHubsEndpoint.With(LocalEventHubsEndpoint.MarketplaceHub(4));
        await endpoint.InitializeAsync();
        await using var producer = new EventHubProducerClient(endpoint.ConnectionString, "marketplace-events", ProducerOptions());
        var marker = await SendAsync(producer, Events);
        var before = await ReadAllAsync(endpoint.ConnectionString, marker);

        await endpoint.RestartAsync();

        var after = await ReadAllAsync(endpoint.ConnectionString, marker);
        Assert.Equal(Events, after.Count);
        Assert.Equal(before.Select(e => (e.Body, e.SequenceNumber, e.Offset, e.EnqueuedTime)), after.Select(e => (e.Body, e.SequenceNumber, e.Offset, e.EnqueuedTime)));
        await producer.SendAsync([new EventData(Encoding.UTF8.GetBytes($"{marker}-after"))], new SendEventOptions { PartitionKey = "k" });
        Assert.Equal(Events + 1, (await ReadAllAsync(endpoint.ConnectionString, marker)).Count);
    }

    [Fact]
    public async Task Nothing_acknowledged_is_lost_when_the_endpoint_process_is_killed()
    {
        var data = Path.Combine(Path.GetTempPath(), "local-eventhubs-tests", Guid.NewGuid().ToString("N"));
        var port = Ports.Free();
        var connectionString = new Marketplace.LocalEventHubs.LocalEventHubsOptions { Port = port }.ConnectionString;
        string marker;
        using (var process = StartProcess(port, data))
        {
            await using var producer = new EventHubProducerClient(connectionString, "marketplace-events", ProducerOptions());
            marker = await SendAsync(producer, Events); // every send acknowledged
            process.Kill(); // SIGKILL: no goodbye, no flush
            await process.WaitForExitAsync();
        }

        using var restarted = StartProcess(port, data);
        try
        {
            var read = await ReadAllAsync(connectionString, marker);
            Assert.Equal(Enumerable.Range(0, Events).Select(i => $"{marker}-{i}").Order(), read.Select(e => e.Body).Order());
        }
        finally
        {
            restarted.Kill();
            await restarted.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_torn_last_record_is_cut_off_and_the_log_goes_on_from_the_last_whole_event()
    {
        var path = Path.Combine(Path.GetTempPath(), "local-eventhubs-tests", Guid.NewGuid().ToString("N"), "0.log");
        await using (var log = PartitionLog.Open(path))
        {
            await log.AppendAsync([[1, 2, 3], [4, 5]], (message, _) => message);
        }

        var whole = new FileInfo(path).Length;
        await File.AppendAllBytesAsync(path, [200, 0, 0, 0, 7, 7]); // a record header cut short by a crash

        await using (var log = PartitionLog.Open(path))
        {
            Assert.Equal(2, log.Count);
            Assert.Equal(whole, new FileInfo(path).Length);
            var appended = await log.AppendAsync([[9]], (message, _) => message);
            Assert.Equal((2L, whole), (appended.Single().SequenceNumber, appended.Single().Offset));
        }
    }

    private static Process StartProcess(int port, string data)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Marketplace.LocalEventHubs.dll"),
            "--port", port.ToString(CultureInfo.InvariantCulture), "--data", data,
            "--config", Path.Combine(Azurite.RepoRoot(), "infra", "local", "Config.json"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Sends events one by one and in batches, keyed over many keys, each send awaited (acknowledged).</summary>
    private static async Task<string> SendAsync(EventHubProducerClient producer, int count)
    {
        var marker = Guid.NewGuid().ToString("N");
        for (var i = 0; i < count; i += 10)
        {
            var batch = Enumerable.Range(i, 10).Select(n => new EventData(Encoding.UTF8.GetBytes($"{marker}-{n}"))).ToList();
            await producer.SendAsync(batch, new SendEventOptions { PartitionKey = $"key-{i % 7}" });
        }

        return marker;
    }

    /// <summary>Every event of the run on every partition, up to the last one each partition reports.</summary>
    private static async Task<List<ReceivedEvent>> ReadAllAsync(string connectionString, string marker)
    {
        var retries = new EventHubsRetryOptions { MaximumRetries = 10, Delay = TimeSpan.FromMilliseconds(200), TryTimeout = TimeSpan.FromSeconds(10) };
        await using var client = new EventHubConsumerClient("$Default", connectionString, "marketplace-events", new EventHubConsumerClientOptions { RetryOptions = retries });
        List<ReceivedEvent> events = [];
        foreach (var partition in await client.GetPartitionIdsAsync())
        {
            var last = await client.GetPartitionPropertiesAsync(partition);
            if (last.IsEmpty)
            {
                continue;
            }

            await using var receiver = new PartitionReceiver(
                "$Default", partition, EventPosition.Earliest, connectionString, "marketplace-events", new PartitionReceiverOptions { RetryOptions = retries });
            var deadline = DateTime.UtcNow.AddSeconds(30);
            for (var seen = -1L; seen < last.LastEnqueuedSequenceNumber && DateTime.UtcNow < deadline;)
            {
                foreach (var received in await receiver.ReceiveBatchAsync(100, TimeSpan.FromMilliseconds(500)))
                {
                    seen = received.SequenceNumber;
                    events.Add(ReceivedEvent.From(received));
                }
            }
        }

        return [.. events.Where(e => e.Body.StartsWith(marker, StringComparison.Ordinal))];
    }

    /// <summary>Patient retries: the endpoint may still be starting.</summary>
    private static EventHubProducerClientOptions ProducerOptions() =>
        new() { RetryOptions = new EventHubsRetryOptions { MaximumRetries = 10, Delay = TimeSpan.FromMilliseconds(200), TryTimeout = TimeSpan.FromSeconds(10) } };
}
