using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Grains;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): the same name always gives the same id, so an event
/// published again, or a request repeated with the same idempotency key, keeps its identity.
/// </summary>
public static class DeterministicIds
{
    private static readonly Guid EventNamespace = new("5f1d4a4e-8f4b-4c55-9d0a-6f8f2f6d7a01");
    private static readonly Guid IdempotencyNamespace = new("0b6f3d2c-2a1e-4e7a-b1c5-3e9d8f7a6b02");

    public static Guid ForEvent(string orderId, long sequence) =>
        Create(EventNamespace, $"{orderId}/{sequence}");

    /// <summary>Per customer: two customers' keys never meet, and neither learns the other's were used.</summary>
    public static Guid ForIdempotencyKey(string customerId, string key) => Create(IdempotencyNamespace, $"{customerId.Length}:{customerId}/{key}");

    public static Guid Create(Guid namespaceId, string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);

        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for name-based v5 ids; not used for security.
        SHA1.HashData(input[..length], hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
