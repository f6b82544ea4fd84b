namespace Marketplace.Contracts.Events;

/// <summary>
/// FNV-1a over a string's UTF-16 code units: the same value on every silo, every process and every
/// .NET version (unlike <see cref="string.GetHashCode()"/>), so anything placed by it stays put.
/// </summary>
public static class StableHash
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
}
