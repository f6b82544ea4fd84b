namespace Marketplace.Contracts.Events;

/// <summary>
/// FNV-1a over a string's UTF-16 code units: the same value on every silo, every process and every
/// .NET version (unlike <see cref="string.GetHashCode()"/>), so anything placed by it stays put.
/// </summary>
public static class StableStringHash
{
    public static uint Of(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    /// <summary>The 64-bit variant: a compact stand-in for an id, with collisions beyond concern at any realistic count.</summary>
    public static ulong Of64(string value)
    {
        var hash = 14695981039346656037ul;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211ul;
        }

        return hash;
    }
}
