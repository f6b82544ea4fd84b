using System.Text.Json;

namespace Marketplace.Tests.Infrastructure;

/// <summary>Every view the marketplace keeps about some orders, as one comparable text.</summary>
public static class Views
{
    public static async Task<string> SnapshotAsync(Shop shop, IReadOnlyCollection<string> orderIds)
    {
        var g = shop.Grains;
        orderIds = [.. orderIds.Order(StringComparer.Ordinal)];
        var orders = await Task.WhenAll(orderIds.Select(id => g.GetGrain<IOrderGrain>(id).GetAsync()));
        var customers = orders.Select(o => o!.CustomerId).Distinct().Order(StringComparer.Ordinal).ToList();
        var skus = orders.SelectMany(o => o!.Items).Select(l => l.Sku).Distinct().Order(StringComparer.Ordinal).ToList();
        var views = new
        {
            Orders = orders,
            Journals = await Task.WhenAll(orderIds.Select(id => g.GetGrain<IOrderGrain>(id).GetEventsAsync())),
            Timelines = await Task.WhenAll(orderIds.Select(shop.TimelineAsync)),
            Payments = await Task.WhenAll(orderIds.Select(id => g.GetGrain<IPaymentGrain>(id).GetAsync())),
            Shipments = await Task.WhenAll(orderIds.Select(id => g.GetGrain<IShipmentGrain>(id).GetAsync())),
            Products = await Task.WhenAll(skus.Select(s => g.GetGrain<IProductGrain>(s).GetAsync())),
            Catalog = await g.Catalog().GetSkusAsync(),
            CustomerOrders = await Task.WhenAll(customers.Select(c => g.GetGrain<ICustomerOrdersGrain>(c).GetOrderIdsAsync())),
            Loyalty = await Task.WhenAll(customers.Select(c => g.GetGrain<ICustomerLoyaltyGrain>(c).GetAsync())),
            Mail = await Task.WhenAll(customers.Select(c => g.GetGrain<IMailboxGrain>(c).GetAsync())),
            Report = await g.GetSalesReportAsync(),
        };
        return JsonSerializer.Serialize(views);
    }
}
