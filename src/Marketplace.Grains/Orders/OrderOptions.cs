namespace Marketplace.Grains.Orders;

/// <summary>The order journal's delivery check (section <c>Marketplace:Orders</c>).</summary>
public sealed class OrderOptions
{
    public const string Section = "Marketplace:Orders";

    /// <summary>
    /// The delivery check: an order quiet this long (on the grains' clock) asks its consumers what
    /// they lack and delivers each of them exactly that again; also how often it looks.
    /// </summary>
    public TimeSpan RepublishAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many rounds of delivering again the check makes, each after a quiet wait twice the one
    /// before, before it logs what is still lacking as an error and stops. Counted afresh whenever
    /// the order records a new event, and by each new activation.
    /// </summary>
    public int MaxRepublishes { get; set; } = 3;

    /// <summary>
    /// When an unfinished order's reminder first wakes it (then every minute, Orleans' shortest
    /// period) if no activation is doing its work: its silo died between its write and its publish.
    /// </summary>
    public TimeSpan WakeAfter { get; set; } = TimeSpan.FromMinutes(1);
}
