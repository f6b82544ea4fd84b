using Marketplace.LocalEventHubs.Storage;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Extensions.Logging;

namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>
/// A reader of one partition for one consumer group: sends events from its start position on, as far
/// as the link's credit goes, then waits for more. An owner level (epoch) decides who may read.
/// </summary>
internal sealed class ConsumerLink : IDisposable
{
    private const int MaxPerRound = 256;

    private readonly SendingAmqpLink link;
    private readonly PartitionLog partition;
    private readonly ILogger logger;
    private readonly CancellationTokenSource closed = new();
    private TaskCompletionSource credit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long next;
    private ulong deliveryTag;

    public ConsumerLink(SendingAmqpLink link, PartitionLog partition, long start, long? ownerLevel, ILogger logger)
    {
        (this.link, this.partition, next, OwnerLevel, this.logger) = (link, partition, start, ownerLevel, logger);
        link.RegisterCreditListener((_, _, _) => credit.TrySetResult());
        // Readers settle on send; for any that does not, settle what it disposes so nothing piles up.
        link.RegisterDispositionListener(delivery => link.DisposeDelivery(delivery, true, delivery.State));
        link.SafeAddClosed((_, _) =>
        {
            try
            {
                closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the pump already ended
            }
        });
    }

    public long? OwnerLevel { get; }

    public AmqpLink Link => link;

    public void Start() => _ = PumpAsync();

    public void Dispose() => closed.Dispose();

    private async Task PumpAsync()
    {
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var waitForCredit = credit.Task;
                if (link.LinkCredit == 0)
                {
                    await waitForCredit.WaitAsync(closed.Token).ConfigureAwait(false);
                    credit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    continue;
                }

                var events = partition.Read(next, (int)Math.Min(link.LinkCredit, MaxPerRound));
                if (events.Count == 0)
                {
                    await partition.WaitForMoreThanAsync(next, closed.Token).ConfigureAwait(false);
                    continue;
                }

                foreach (var stored in events)
                {
                    link.SendMessageNoWait(EventCodec.ForDelivery(stored), new ArraySegment<byte>(BitConverter.GetBytes(++deliveryTag)), AmqpConstants.NullBinary);
                }

                next += events.Count;
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // the link closed
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Delivering to {Link} failed", link.Name);
            link.SafeClose(exception);
        }
        finally
        {
            Dispose();
        }
    }
}

/// <summary>
/// Who reads a partition for a consumer group. A reader with an owner level (epoch) at least as high
/// as every other's takes over: the others are closed with <c>amqp:link:stolen</c>. A lower one, or one
/// without a level while a levelled reader is there, is refused the same way.
/// </summary>
internal sealed class PartitionOwners
{
    private readonly Dictionary<(string Hub, string Group, string Partition), List<ConsumerLink>> readers = [];

    public void Add((string Hub, string Group, string Partition) key, ConsumerLink reader)
    {
        List<ConsumerLink> displaced = [];
        lock (readers)
        {
            if (!readers.TryGetValue(key, out var current))
            {
                readers[key] = current = [];
            }

            var highest = current.Max(r => r.OwnerLevel);
            if (reader.OwnerLevel is { } level)
            {
                if (highest > level)
                {
                    throw Stolen($"A reader with owner level {highest} is reading partition {key.Partition} of {key.Hub} for {key.Group}; level {level} is lower.");
                }

                displaced.AddRange(current);
                current.Clear();
            }
            else if (highest is not null)
            {
                throw Stolen($"A reader with owner level {highest} owns partition {key.Partition} of {key.Hub} for {key.Group}; readers without a level are refused.");
            }

            current.Add(reader);
            reader.Link.SafeAddClosed((_, _) =>
            {
                lock (readers)
                {
                    current.Remove(reader);
                }
            });
        }

        foreach (var old in displaced)
        {
            old.Link.SafeClose(Stolen($"A reader with owner level {reader.OwnerLevel} took over partition {key.Partition} of {key.Hub} for {key.Group}."));
        }
    }

    private static AmqpException Stolen(string description) => new(new Error { Condition = AmqpErrorCode.Stolen, Description = description });
}
