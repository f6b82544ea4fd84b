namespace Marketplace.Grains.Orders;

/// <summary>Turns a checkout request into the order it places: each line priced from the catalog now.</summary>
public static class Checkout
{
    /// <returns>The order, or the skus the catalog does not know (and no order).</returns>
    public static async Task<(OrderPlaced? Placed, ImmutableArray<string> UnknownSkus)> PriceAsync(IGrainFactory grains, PlaceOrder command)
    {
        var products = await Task.WhenAll(command.Items.Select(i => grains.GetGrain<IProductGrain>(i.Sku).GetAsync()));
        var unknown = command.Items.Where((_, i) => products[i] is null).Select(i => i.Sku).ToImmutableArray();
        if (!unknown.IsEmpty)
        {
            return (null, unknown);
        }

        var lines = command.Items.Select((item, i) => new OrderLine(item.Sku, item.Quantity, products[i]!.Price)).ToImmutableArray();
        return (new OrderPlaced(command.CustomerId, lines, lines.Sum(l => l.LineTotal), command.PaymentToken, command.ShippingAddress), []);
    }
}
