namespace Marketplace.Grains;

/// <summary>The grain storage provider every grain writes to; the host decides what backs it.</summary>
public static class Storage
{
    public const string Name = "marketplace";
}
