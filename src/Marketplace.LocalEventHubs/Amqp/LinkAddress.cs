namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>What a link attaches to, from its address (the client sends absolute paths: <c>/hub/Partitions/0</c>).</summary>
internal abstract record LinkAddress
{
    public const string Cbs = "$cbs";
    public const string Management = "$management";

    public static LinkAddress Parse(string address)
    {
        var path = Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "sb" ? uri.AbsolutePath : address;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            [Cbs] => new RequestNode(Cbs),
            [Management] => new RequestNode(Management),
            [var hub] => new Publish(hub, null),
            [var hub, var partitions, var id] when Is(partitions, "Partitions") => new Publish(hub, id),
            [var hub, var groups, var group, var partitions, var id] when Is(groups, "ConsumerGroups") && Is(partitions, "Partitions") => new Consume(hub, group, id),
            _ => new Unknown(address),
        };
    }

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);

    public sealed record RequestNode(string Name) : LinkAddress;

    /// <summary>Sends to a hub (the service picks the partition, by key or round robin) or to one partition.</summary>
    public sealed record Publish(string Hub, string? PartitionId) : LinkAddress;

    public sealed record Consume(string Hub, string ConsumerGroup, string PartitionId) : LinkAddress;

    public sealed record Unknown(string Address) : LinkAddress;
}
