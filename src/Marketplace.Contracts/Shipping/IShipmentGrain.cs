using Marketplace.Contracts.Orders;

namespace Marketplace.Contracts.Shipping;

[GenerateSerializer, Immutable, Alias("marketplace.shipment.v1")]
public sealed record ShipmentSnapshot(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string Status,
    [property: Id(2)] string TrackingNumber,
    [property: Id(3)] Address Address);

/// <summary>The shipment of one order (key: order id): scheduled once, whatever the retries.</summary>
public interface IShipmentGrain : IGrainWithStringKey
{
    Task<ShipmentSnapshot> ScheduleAsync(Address address);

    [ReadOnly]
    Task<ShipmentSnapshot?> GetAsync();
}
