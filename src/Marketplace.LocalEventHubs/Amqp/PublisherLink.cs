using Marketplace.LocalEventHubs.Storage;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Extensions.Logging;

namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>
/// A producer's link: each message (one event or a batch) goes to one partition, the one the link
/// names, or by partition key, or round robin; it is accepted only once it is on disk.
/// </summary>
internal sealed class PublisherLink
{
    private readonly ReceivingAmqpLink link;
    private readonly EventStore.Hub hub;
    private readonly PartitionLog? partition;
    private readonly ILogger logger;

    public PublisherLink(ReceivingAmqpLink link, EventStore.Hub hub, PartitionLog? partition, ILogger logger)
    {
        (this.link, this.hub, this.partition, this.logger) = (link, hub, partition, logger);
        link.RegisterMessageListener(message => _ = OnMessageAsync(message));
    }

    private async Task OnMessageAsync(AmqpMessage message)
    {
        try
        {
            var (events, partitionKey) = EventCodec.Unwrap(message);
            if (partition is not null && partitionKey is not null)
            {
                throw new AmqpException(AmqpErrorCode.InvalidField, "An event sent to a partition cannot also carry a partition key.");
            }

            var target = partition ?? hub.PartitionFor(partitionKey);
            await target.AppendAsync(events, (sent, position) => EventCodec.Stamp(sent, position, partitionKey)).ConfigureAwait(false);
            link.AcceptMessage(message, batchable: false);
        }
        catch (AmqpException exception)
        {
            link.DisposeMessage(message, new Rejected { Error = exception.Error }, settled: true, batchable: false);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Storing a message on {Hub} failed", hub.Definition.Name);
            link.DisposeMessage(message, new Rejected { Error = new Error { Condition = AmqpErrorCode.InternalError, Description = exception.Message } }, settled: true, batchable: false);
        }
        finally
        {
            message.Dispose();
        }
    }
}
