using System.Runtime.InteropServices;

namespace Marketplace.Grains;

/// <summary>
/// The ids an entity grain has seen lately, for idempotency that does not grow with every order
/// ever placed: each id is kept as a 64-bit hash in a bucket of its arrival time, and whole
/// buckets are dropped once they are older than the window. 8 bytes an id when stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketplace.recent-ids.v1")]
public sealed record RecentIds
{
    /// <summary>Arrival times are grouped into buckets this long: the window is exact to within one.</summary>
    private static readonly long BucketTicks = TimeSpan.FromSeconds(5).Ticks;

    public static RecentIds Empty { get; } = new();

    [Id(0)] public ImmutableArray<RecentBucket> Buckets { get; init; } = [];

    public bool Contains(string id)
    {
        var hash = StableStringHash.Of64(id);
        foreach (var bucket in Buckets)
        {
            if (MemoryMarshal.Cast<byte, ulong>(bucket.Hashes).Contains(hash))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds the id (seen at <paramref name="now"/>) and drops the buckets older than <paramref name="window"/>.</summary>
    public RecentIds Add(string id, DateTimeOffset now, TimeSpan window)
    {
        var start = now.UtcTicks - (now.UtcTicks % BucketTicks);
        var oldest = now.UtcTicks - window.Ticks - BucketTicks;
        var kept = Buckets.RemoveAll(b => b.StartTicks < oldest);
        var hash = BitConverter.GetBytes(StableStringHash.Of64(id));
        return new RecentIds
        {
            Buckets = kept.Length > 0 && kept[^1].StartTicks == start
                ? kept.SetItem(kept.Length - 1, kept[^1] with { Hashes = [.. kept[^1].Hashes, .. hash] })
                : kept.Add(new RecentBucket(start, hash)),
        };
    }
}

/// <summary>Ids that arrived in one bucket of time, as 64-bit hashes packed 8 bytes each (a varint would take 9-10). Never changed once made.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.recent-bucket.v1")]
public sealed record RecentBucket([property: Id(0)] long StartTicks, [property: Id(1)] byte[] Hashes);

/// <summary>How long entity grains remember the ids of the calls they took (section <c>Marketplace:Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Marketplace:Idempotency";

    /// <summary>
    /// A repeated call within this window changes nothing. It covers a consumer handling a batch
    /// again after a crash between its effects and its commit: the batch comes back when the
    /// shard's stream resumes on another silo, well within the window. Later duplicates never
    /// reach entities: the consumers recognise them first (see ConsumerOptions.Retention).
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
