using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Inventory;

[GenerateSerializer, Alias("marketplace.inventory-saga.v1")]
public sealed class InventorySaga
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
    [PersistentState("inventory-consumer", Storage.Name)] IPersistentState<ConsumerState<InventorySaga>> state)
    : OrderEventConsumer<InventorySaga>(state)
{
    protected override async Task HandleAsync(OrderEvent e, InventorySaga saga)
    {
        switch (e)
        {
            case OrderPlaced placed:
                saga.Items = placed.Items;
                var held = await Task.WhenAll(placed.Items.Select(l => Product(l.Sku).ReserveAsync(e.OrderId, l.Quantity)));
                OrderEvent outcome = held.Contains(false)
                    ? new StockUnavailable([.. placed.Items.Where((_, i) => !held[i]).Select(l => l.Sku)])
                    : new StockReserved();

                // The journal decides, then the stock follows it. Another handling of this order (a
                // redelivery racing a duplicate activation while a silo fails) may have recorded the
                // other outcome first; releasing before knowing would undo the holds it reported.
                saga.Reserved = await ReportAsync(outcome, placed) is StockReserved;
                if (!saga.Reserved)
                {
                    await ReleaseAllAsync(e.OrderId, saga); // all or nothing: give back the lines that were held
                }

                break;

            // Handled after OrderPlaced (in sequence): what is held is known.
            case PaymentDeclined declined when saga.Reserved:
                await ReleaseAllAsync(e.OrderId, saga);
                await ReportAsync(new StockReleased(), declined);
                break;

            case ShipmentScheduled scheduled:
                await Task.WhenAll(saga.Items.Select(l => Product(l.Sku).CommitAsync(e.OrderId)));
                await ReportAsync(new StockCommitted(), scheduled);
                break;
        }
    }

    private Task ReleaseAllAsync(string orderId, InventorySaga saga) => Task.WhenAll(saga.Items.Select(l => Product(l.Sku).ReleaseAsync(orderId)));

    private IProductGrain Product(string sku) => GrainFactory.GetGrain<IProductGrain>(sku);
}
