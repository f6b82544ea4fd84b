using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Inventory;

// The alias is from when notes were called sagas: stored states name it.
[GenerateSerializer, Alias("marketplace.inventory-saga.v1")]
public sealed class InventoryNotes
{
    [Id(0)] public ImmutableArray<OrderLine> Items { get; set; } = [];
    [Id(1)] public bool Reserved { get; set; }
}

/// <summary>
/// Holds stock for the whole order or none of it; gives it back when payment is declined; turns
/// the hold into a sale when the shipment is scheduled.
/// </summary>
[GrainType("inventory")]
[ImplicitStreamSubscription(EventStreams.OrderPlaced)]
[ImplicitStreamSubscription(EventStreams.PaymentDeclined)]
[ImplicitStreamSubscription(EventStreams.ShipmentScheduled)]
public sealed class InventoryConsumer(
    [PersistentState("inventory-consumer", Storage.Name)] IPersistentState<ConsumerState<InventoryNotes>> state,
    ConsumerServices services)
    : OrderEventConsumer<InventoryNotes>(state, services)
{
    protected override async Task HandleAsync(OrderEvent e, InventoryNotes notes)
    {
        switch (e)
        {
            case OrderPlaced placed:
                notes.Items = placed.Items;
                var held = await Task.WhenAll(placed.Items.Select(l => Product(l.Sku).ReserveAsync(e.OrderId, l.Quantity)));
                OrderEvent outcome = held.Contains(false)
                    ? new StockUnavailable([.. placed.Items.Where((_, i) => !held[i]).Select(l => l.Sku)])
                    : new StockReserved();

                // The journal decides, then the stock follows it. Another handling of this order (a
                // redelivery racing a duplicate activation while a silo fails) may have recorded the
                // other outcome first; releasing before knowing would undo the holds it reported.
                notes.Reserved = await ReportAsync(outcome, placed) is StockReserved;
                if (!notes.Reserved)
                {
                    await ReleaseAllAsync(e.OrderId, notes); // all or nothing: give back the lines that were held
                }

                break;

            // Handled after OrderPlaced (in sequence): what is held is known.
            case PaymentDeclined declined when notes.Reserved:
                await ReleaseAllAsync(e.OrderId, notes);
                await ReportAsync(new StockReleased(), declined);
                break;

            case ShipmentScheduled scheduled:
                await Task.WhenAll(notes.Items.Select(l => Product(l.Sku).CommitAsync(e.OrderId)));
                await ReportAsync(new StockCommitted(), scheduled);
                break;
        }
    }

    private Task ReleaseAllAsync(string orderId, InventoryNotes notes) => Task.WhenAll(notes.Items.Select(l => Product(l.Sku).ReleaseAsync(orderId)));

    private IProductGrain Product(string sku) => GrainFactory.GetGrain<IProductGrain>(sku);
}
