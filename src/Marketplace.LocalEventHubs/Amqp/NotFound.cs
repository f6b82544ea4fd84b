using Marketplace.LocalEventHubs.Storage;

namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>
/// The service's wording for a missing entity: the client turns "The messaging entity ... could not be
/// found" into <c>ResourceNotFound</c>, and anything else into a communication problem it retries.
/// </summary>
internal static class NotFound
{
    public static string Hub(string name, EventStore store) =>
        $"The messaging entity '{name}' could not be found. Hubs here: {string.Join(", ", store.Hubs.Select(h => h.Name))}.";

    public static string Partition(EventStore.Hub hub, string id) =>
        $"The messaging entity '{hub.Definition.Name}/Partitions/{id}' could not be found: the hub has partitions 0 to {hub.Definition.PartitionCount - 1}.";

    public static string ConsumerGroup(EventStore.Hub hub, string group) =>
        $"The messaging entity '{hub.Definition.Name}/ConsumerGroups/{group}' could not be found. Consumer groups: {string.Join(", ", hub.Definition.ConsumerGroups)}.";
}
