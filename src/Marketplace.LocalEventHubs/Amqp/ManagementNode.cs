using Marketplace.LocalEventHubs.Storage;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>
/// <c>$management</c> READ of a hub (<c>com.microsoft:eventhub</c>) or of a partition
/// (<c>com.microsoft:partition</c>), with the field names and types the client casts to.
/// </summary>
internal sealed class ManagementNode(EventStore store) : RequestResponseNode
{
    protected override AmqpMessage Handle(AmqpMessage request)
    {
        var properties = request.ApplicationProperties.Map;
        var operation = properties["operation"] as string;
        var type = properties["type"] as string;
        var name = properties["name"] as string ?? "";
        if (operation != "READ")
        {
            return Status(400, $"The operation '{operation}' is not supported; READ is.");
        }

        if (!store.TryGetHub(name, out var hub))
        {
            return Status(404, NotFound.Hub(name, store));
        }

        switch (type)
        {
            case "com.microsoft:eventhub":
                return Ok(new AmqpMap
                {
                    [new MapKey("name")] = hub.Definition.Name,
                    [new MapKey("created_at")] = hub.CreatedAt,
                    [new MapKey("partition_count")] = hub.Definition.PartitionCount,
                    [new MapKey("partition_ids")] = hub.Definition.PartitionIds.ToArray(),
                });

            case "com.microsoft:partition":
                var partitionId = properties["partition"] as string ?? "";
                if (!hub.TryGetPartition(partitionId, out var partition))
                {
                    return Status(404, NotFound.Partition(hub, partitionId));
                }

                var last = partition.Last;
                return Ok(new AmqpMap
                {
                    [new MapKey("name")] = hub.Definition.Name,
                    [new MapKey("partition")] = partitionId,
                    [new MapKey("begin_sequence_number")] = 0L,
                    [new MapKey("last_enqueued_sequence_number")] = last?.SequenceNumber ?? -1L,
                    [new MapKey("last_enqueued_offset")] = (last?.Offset ?? -1L).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [new MapKey("last_enqueued_time_utc")] = last?.EnqueuedTime ?? DateTime.MinValue,
                    [new MapKey("runtime_info_retrieval_time_utc")] = DateTime.UtcNow,
                    [new MapKey("is_partition_empty")] = last is null,
                });

            default:
                return Status(400, $"The resource type '{type}' is not one of com.microsoft:eventhub, com.microsoft:partition.");
        }
    }

    private static AmqpMessage Ok(AmqpMap body)
    {
        var response = AmqpMessage.Create(new AmqpValue { Value = body });
        response.ApplicationProperties.Map["status-code"] = 200;
        response.ApplicationProperties.Map["status-description"] = "OK";
        return response;
    }
}
