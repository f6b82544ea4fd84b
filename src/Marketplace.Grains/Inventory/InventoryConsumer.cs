using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Inventory;

[GenerateSerializer, Alias("marketplace.inventory-saga.v1")]
public sealed class InventorySaga
{
    [Id(0)] public ImmutableArray<OrderLine> Items { get; set; } = [];
    [Id(1)] public bool Reserved { get; set; }
    [Id(2)] public bool PaymentDeclined { get; set; }
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
    protected override async Task HandleAsync(OrderEvent e)
    {
        switch (e)
        {
            case OrderPlaced placed:
                Saga.Items = placed.Items;
                if (Saga.PaymentDeclined)
                {
                    // Not paid: hold nothing (the release leaves tombstones so no late reservation can).
                    await ReleaseAllAsync();
                    await PublishAsync(new StockReleased(), placed);
                    return;
                }

                var held = await Task.WhenAll(placed.Items.Select(l => Product(l.Sku).ReserveAsync(OrderId, l.Quantity)));
                if (held.Contains(false))
                {
                    await ReleaseAllAsync(); // all or nothing: give back the lines that were held
                    var missing = placed.Items.Where((_, i) => !held[i]).Select(l => l.Sku).ToImmutableArray();
                    await PublishAsync(new StockUnavailable(missing), placed);
                    return;
                }

                Saga.Reserved = true;
                await PublishAsync(new StockReserved(), placed);
                break;

            case PaymentDeclined declined:
                Saga.PaymentDeclined = true;
                // Nothing held yet: the OrderPlaced handler will hold nothing.
                if (Saga.Reserved)
                {
                    await ReleaseAllAsync();
                    await PublishAsync(new StockReleased(), declined);
                }

                break;

            case ShipmentScheduled scheduled:
                await Task.WhenAll(Saga.Items.Select(l => Product(l.Sku).CommitAsync(OrderId)));
                await PublishAsync(new StockCommitted(), scheduled);
                break;
        }
    }

    private Task ReleaseAllAsync() => Task.WhenAll(Saga.Items.Select(l => Product(l.Sku).ReleaseAsync(OrderId)));

    private IProductGrain Product(string sku) => GrainFactory.GetGrain<IProductGrain>(sku);
}
