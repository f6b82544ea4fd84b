namespace Marketplace.Grains.Orders;

/// <summary>The order journal's delivery check (section <c>Marketplace:Orders</c>).</summary>
public sealed class OrderOptions
{
    public const string Section = "Marketplace:Orders";

    /// <summary>An order quiet this long asks its consumers what they lack and publishes it again.</summary>
    public TimeSpan RepublishAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times, per activation, each wait twice the one before.</summary>
    public int MaxRepublishes { get; set; } = 3;

    /// <summary>
    /// When an unfinished order's reminder first wakes it (then every minute, Orleans' shortest
    /// period) if no activation is doing its work: its silo died between its write and its publish.
    /// </summary>
    public TimeSpan WakeAfter { get; set; } = TimeSpan.FromMinutes(1);
}
