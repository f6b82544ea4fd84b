using System.Text;
using Marketplace.LocalEventHubs.Configuration;

namespace Marketplace.LocalEventHubs.Storage;

/// <summary>Every hub's partitions, each a <see cref="PartitionLog"/> under <c>{data}/{hub}/{partition}.log</c>.</summary>
public sealed class EventStore : IAsyncDisposable
{
    private readonly Dictionary<string, Hub> hubs;

    private EventStore(Dictionary<string, Hub> hubs) => this.hubs = hubs;

    public static EventStore Open(string dataDirectory, IEnumerable<HubDefinition> definitions)
    {
        var hubs = new Dictionary<string, Hub>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in definitions)
        {
            var partitions = definition.PartitionIds
                .Select(id => PartitionLog.Open(Path.Combine(dataDirectory, definition.Name, $"{id}.log")))
                .ToArray();
            hubs.Add(definition.Name, new Hub(definition, partitions));
        }

        return new EventStore(hubs);
    }

    public IEnumerable<HubDefinition> Hubs => hubs.Values.Select(h => h.Definition);

    public bool TryGetHub(string name, out Hub hub) => hubs.TryGetValue(name, out hub!);

    public async ValueTask DisposeAsync()
    {
        foreach (var partition in hubs.Values.SelectMany(h => h.Partitions))
        {
            await partition.DisposeAsync().ConfigureAwait(false);
        }
    }

    public sealed class Hub(HubDefinition definition, PartitionLog[] partitions)
    {
        private int nextPartition = -1;

        public HubDefinition Definition { get; } = definition;

        public IReadOnlyList<PartitionLog> Partitions { get; } = partitions;

        public DateTime CreatedAt { get; } = DateTime.UtcNow;

        public bool TryGetPartition(string id, out PartitionLog partition)
        {
            partition = null!;
            if (!int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) || index >= Partitions.Count)
            {
                return false;
            }

            partition = Partitions[index];
            return true;
        }

        /// <summary>The partition for a key: the same key always lands on the same partition. No key: round robin.</summary>
        public PartitionLog PartitionFor(string? partitionKey)
        {
            if (partitionKey is null)
            {
                return Partitions[(int)((uint)Interlocked.Increment(ref nextPartition) % (uint)Partitions.Count)];
            }

            // FNV-1a: stable across processes and restarts, unlike string.GetHashCode.
            var hash = 2166136261u;
            foreach (var b in Encoding.UTF8.GetBytes(partitionKey))
            {
                hash = (hash ^ b) * 16777619u;
            }

            return Partitions[(int)(hash % (uint)Partitions.Count)];
        }
    }
}
