using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Shipping;

// The alias is from when notes were called sagas: stored states name it.
[GenerateSerializer, Alias("marketplace.shipping-saga.v1")]
public sealed class ShippingNotes
{
    [Id(0)] public Address? Address { get; set; }
    [Id(1)] public bool PaymentCaptured { get; set; }
    [Id(2)] public bool StockReserved { get; set; }
}

/// <summary>Schedules the shipment once the order is paid and its stock is held, whichever comes first.</summary>
[GrainType("shipping")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.PaymentCaptured)]
[ImplicitStreamSubscription(EventStreams.StockReserved)]
public sealed class ShippingConsumer(
    [PersistentState("shipping-consumer", Storage.Name)] IPersistentState<ConsumerState<ShippingNotes>> state,
    ConsumerServices services)
    : OrderEventConsumer<ShippingNotes>(state, services)
{
    protected override async Task HandleAsync(OrderEvent e, ShippingNotes notes)
    {
        switch (e)
        {
            case OrderPlaced placed:
                notes.Address = placed.ShippingAddress;
                break;
            case PaymentCaptured:
                notes.PaymentCaptured = true;
                break;
            case StockReserved:
                notes.StockReserved = true;
                break;
            default:
                return;
        }

        if (notes is { Address: { } address, PaymentCaptured: true, StockReserved: true })
        {
            var shipment = await GrainFactory.GetGrain<IShipmentGrain>(e.OrderId).ScheduleAsync(address);
            await ReportAsync(new ShipmentScheduled(shipment.TrackingNumber), e);
        }
    }
}
