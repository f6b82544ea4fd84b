using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Producer;

namespace Marketplace.Tests.LocalEventHubs;

/// <summary>
/// The endpoint against the official client (Azure.Messaging.EventHubs, pinned in Directory.Packages.props),
/// unmodified, over the development connection string: what the Orleans provider and any other reader rely on.
/// </summary>
public sealed class EndpointContractTests(LocalEventHubsEndpoint endpoint) : IClassFixture<LocalEventHubsEndpoint>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Hub_properties_list_the_partitions_of_config_json()
    {
        await using var producer = Producer();

        var properties = await producer.GetEventHubPropertiesAsync();

        Assert.Equal(LocalEventHubsEndpoint.Hub, properties.Name);
        Assert.Equal(["0", "1", "2", "3"], properties.PartitionIds);
    }

    [Fact]
    public async Task Partition_properties_follow_the_sends()
    {
        await using var producer = Producer();
        var before = await producer.GetPartitionPropertiesAsync("3");

        await producer.SendAsync([Event("a"), Event("b")], new SendEventOptions { PartitionId = "3" });

        var after = await producer.GetPartitionPropertiesAsync("3");
        Assert.Equal(before.LastEnqueuedSequenceNumber + 2, after.LastEnqueuedSequenceNumber);
        Assert.False(after.IsEmpty);
        Assert.True(after.LastEnqueuedTime >= before.LastEnqueuedTime);
        var read = await ReadAsync("3", EventPosition.FromSequenceNumber(after.LastEnqueuedSequenceNumber), 1);
        Assert.Equal(after.LastEnqueuedOffsetString, read.Single().Offset);
    }

    [Fact]
    public async Task Events_with_one_partition_key_all_land_on_one_partition_in_order_with_their_properties()
    {
        await using var producer = Producer();
        var key = Guid.NewGuid().ToString();
        var marker = Guid.NewGuid().ToString();
        for (var i = 0; i < 3; i++)
        {
            using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = key });
            for (var j = 0; j < 4; j++)
            {
                var data = Event($"{marker}-{(i * 4) + j}");
                data.Properties["n"] = (i * 4) + j;
                data.ContentType = "text/plain";
                Assert.True(batch.TryAdd(data));
            }

            await producer.SendAsync(batch);
        }

        var found = new List<(string Partition, ReceivedEvent Event)>();
        foreach (var partition in await producer.GetPartitionIdsAsync())
        {
            found.AddRange((await ReadAllAsync(partition)).Where(e => e.Body.StartsWith(marker, StringComparison.Ordinal)).Select(e => (partition, e)));
        }

        Assert.Single(found.Select(f => f.Partition).Distinct());
        Assert.Equal(Enumerable.Range(0, 12).Select(n => $"{marker}-{n}"), found.Select(f => f.Event.Body));
        Assert.All(found, f => Assert.Equal(key, f.Event.PartitionKey));
        Assert.Equal(Enumerable.Range(0, 12), found.Select(f => (int)f.Event.Properties["n"]));
        Assert.All(found, f => Assert.Equal("text/plain", f.Event.ContentType));
        Assert.Equal(found.Select(f => f.Event.SequenceNumber).Order(), found.Select(f => f.Event.SequenceNumber));
    }

    [Fact]
    public async Task Each_start_position_starts_where_it_says()
    {
        await using var producer = Producer();
        var marker = Guid.NewGuid().ToString();
        var last = await producer.GetPartitionPropertiesAsync("1");
        await producer.SendAsync([Event($"{marker}-0"), Event($"{marker}-1"), Event($"{marker}-2")], new SendEventOptions { PartitionId = "1" });
        var sent = (await ReadAllAsync("1")).Where(e => e.Body.StartsWith(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, sent.Count);
        var (first, second) = (sent[0], sent[1]);

        Assert.Equal(sent[0].Body, (await ReadAsync("1", EventPosition.Earliest, 100)).Single(e => e.SequenceNumber == first.SequenceNumber).Body);
        Assert.Equal([first.Body, second.Body, sent[2].Body], Bodies(await ReadAsync("1", EventPosition.FromOffset(first.Offset, isInclusive: true), 3)));
        Assert.Equal([second.Body, sent[2].Body], Bodies(await ReadAsync("1", EventPosition.FromOffset(first.Offset, isInclusive: false), 2)));
        Assert.Equal([second.Body, sent[2].Body], Bodies(await ReadAsync("1", EventPosition.FromSequenceNumber(second.SequenceNumber, isInclusive: true), 2)));
        Assert.Equal([sent[2].Body], Bodies(await ReadAsync("1", EventPosition.FromSequenceNumber(second.SequenceNumber, isInclusive: false), 1)));
        Assert.Equal([first.Body, second.Body, sent[2].Body], Bodies(await ReadAsync("1", EventPosition.FromEnqueuedTime(first.EnqueuedTime.AddMilliseconds(-1)), 3)));
        Assert.Equal(first.SequenceNumber, last.IsEmpty ? 0 : last.LastEnqueuedSequenceNumber + 1);

        // Latest: only what is sent after the reader opened.
        await using var receiver = Receiver("1", EventPosition.Latest);
        Assert.Empty(await receiver.ReceiveBatchAsync(10, TimeSpan.FromMilliseconds(500)));
        await producer.SendAsync([Event($"{marker}-later")], new SendEventOptions { PartitionId = "1" });
        var later = await receiver.ReceiveBatchAsync(10, Wait);
        Assert.Equal([$"{marker}-later"], later.Select(e => e.EventBody.ToString()));
    }

    [Fact]
    public async Task A_higher_owner_level_takes_the_partition_and_lower_or_unlevelled_readers_are_refused()
    {
        await using var producer = Producer();
        await using var first = Receiver("2", EventPosition.Earliest, ownerLevel: 1);
        await first.ReceiveBatchAsync(1, TimeSpan.FromMilliseconds(200));

        await using var second = Receiver("2", EventPosition.Earliest, ownerLevel: 2);
        await second.ReceiveBatchAsync(1, TimeSpan.FromMilliseconds(200));

        var stolen = await Assert.ThrowsAsync<EventHubsException>(() => first.ReceiveBatchAsync(1, Wait));
        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, stolen.Reason);
        await using var lower = Receiver("2", EventPosition.Earliest, ownerLevel: 1);
        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, (await Assert.ThrowsAsync<EventHubsException>(() => lower.ReceiveBatchAsync(1, Wait))).Reason);
        await using var unlevelled = Receiver("2", EventPosition.Earliest);
        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, (await Assert.ThrowsAsync<EventHubsException>(() => unlevelled.ReceiveBatchAsync(1, Wait))).Reason);

        // The owner still reads.
        var marker = Guid.NewGuid().ToString();
        await producer.SendAsync([Event(marker)], new SendEventOptions { PartitionId = "2" });
        var seen = new List<string>();
        for (var i = 0; i < 20 && !seen.Contains(marker); i++)
        {
            seen.AddRange((await second.ReceiveBatchAsync(100, TimeSpan.FromMilliseconds(300))).Select(e => e.EventBody.ToString()));
        }

        Assert.Contains(marker, seen);
    }

    [Fact]
    public async Task Unknown_hubs_partitions_and_consumer_groups_are_clear_errors()
    {
        await using var unknownHub = new EventHubProducerClient(endpoint.ConnectionString, "no-such-hub", Options());
        var hub = await Assert.ThrowsAsync<EventHubsException>(() => unknownHub.GetEventHubPropertiesAsync());
        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, hub.Reason);
        Assert.Contains("no-such-hub", hub.Message, StringComparison.Ordinal);

        await using var producer = Producer();
        var partition = await Assert.ThrowsAsync<EventHubsException>(() => producer.SendAsync([Event("x")], new SendEventOptions { PartitionId = "9" }));
        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, partition.Reason);
        Assert.Contains("contract/Partitions/9", partition.Message, StringComparison.Ordinal);

        await using var reader = new PartitionReceiver("no-such-group", "0", EventPosition.Earliest, endpoint.ConnectionString, LocalEventHubsEndpoint.Hub, ReceiverOptions());
        var group = await Assert.ThrowsAsync<EventHubsException>(() => reader.ReceiveBatchAsync(1, Wait));
        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, group.Reason);
        Assert.Contains("contract/ConsumerGroups/no-such-group", group.Message, StringComparison.Ordinal);
    }

    private EventHubProducerClient Producer() => new(endpoint.ConnectionString, LocalEventHubsEndpoint.Hub, Options());

    private PartitionReceiver Receiver(string partition, EventPosition position, long? ownerLevel = null)
    {
        var options = ReceiverOptions();
        options.OwnerLevel = ownerLevel;
        return new PartitionReceiver(LocalEventHubsEndpoint.ConsumerGroup, partition, position, endpoint.ConnectionString, LocalEventHubsEndpoint.Hub, options);
    }

    private static EventHubProducerClientOptions Options() => new() { RetryOptions = Retries() };

    private static PartitionReceiverOptions ReceiverOptions() => new() { RetryOptions = Retries() };

    /// <summary>Few, quick retries: a refusal should surface as the error it is, not after a minute.</summary>
    private static EventHubsRetryOptions Retries() => new() { MaximumRetries = 1, Delay = TimeSpan.FromMilliseconds(100), TryTimeout = TimeSpan.FromSeconds(10) };

    private static EventData Event(string body) => new(Encoding.UTF8.GetBytes(body));

    private static string[] Bodies(IEnumerable<ReceivedEvent> events) => [.. events.Select(e => e.Body)];

    private async Task<IReadOnlyList<ReceivedEvent>> ReadAllAsync(string partition) => await ReadAsync(partition, EventPosition.Earliest, int.MaxValue);

    /// <summary>Up to <paramref name="count"/> events from a position, until the partition has no more.</summary>
    private async Task<IReadOnlyList<ReceivedEvent>> ReadAsync(string partition, EventPosition position, int count)
    {
        await using var receiver = Receiver(partition, position);
        List<ReceivedEvent> events = [];
        while (events.Count < count)
        {
            var batch = (await receiver.ReceiveBatchAsync(Math.Min(count - events.Count, 100), TimeSpan.FromMilliseconds(500))).ToList();
            if (batch.Count == 0)
            {
                break;
            }

            events.AddRange(batch.Select(ReceivedEvent.From));
        }

        return events;
    }
}

/// <summary>What a reader got, copied out of <see cref="EventData"/>.</summary>
public sealed record ReceivedEvent(string Body, long SequenceNumber, string Offset, DateTimeOffset EnqueuedTime, string? PartitionKey, IDictionary<string, object> Properties, string? ContentType)
{
    public static ReceivedEvent From(EventData e) =>
        new(e.EventBody.ToString(), e.SequenceNumber, e.OffsetString, e.EnqueuedTime, e.PartitionKey, e.Properties, e.ContentType);
}
