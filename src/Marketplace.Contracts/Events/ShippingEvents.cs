namespace Marketplace.Contracts.Events;

[GenerateSerializer, Immutable, Alias("marketplace.shipment-scheduled.v1")]
public sealed record ShipmentScheduled(
    [property: Id(0)] string TrackingNumber) : OrderEvent;
