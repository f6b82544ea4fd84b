namespace Marketplace.LoadTest.Invariants;

/// <summary>What the marketplace shows about orders, stock, customers and sales: API.md's views.</summary>
public interface IMarketplaceView
{
    Task<OrderSnapshot?> GetOrderAsync(string orderId);

    Task<PaymentSnapshot?> GetPaymentAsync(string orderId);

    Task<ShipmentSnapshot?> GetShipmentAsync(string orderId);

    Task<ProductSnapshot?> GetProductAsync(string sku);

    Task<LoyaltySnapshot> GetLoyaltyAsync(string customerId);

    Task<IReadOnlyList<Notification>> GetNotificationsAsync(string customerId);

    Task<SalesReport> GetSalesReportAsync();
}

/// <summary>The views read straight from the grains, as the API reads them.</summary>
/// <param name="orders">Where orders live: the event-driven order grain, or another implementation's.</param>
public sealed class GrainView(IGrainFactory grains, Func<string, Task<OrderSnapshot?>>? orders = null) : IMarketplaceView
{
    public Task<OrderSnapshot?> GetOrderAsync(string orderId) =>
        orders?.Invoke(orderId) ?? grains.GetGrain<IOrderGrain>(orderId).GetAsync();

    public Task<PaymentSnapshot?> GetPaymentAsync(string orderId) => grains.GetGrain<IPaymentGrain>(orderId).GetAsync();

    public Task<ShipmentSnapshot?> GetShipmentAsync(string orderId) => grains.GetGrain<IShipmentGrain>(orderId).GetAsync();

    public Task<ProductSnapshot?> GetProductAsync(string sku) => grains.GetGrain<IProductGrain>(sku).GetAsync();

    public Task<LoyaltySnapshot> GetLoyaltyAsync(string customerId) => grains.GetGrain<ICustomerLoyaltyGrain>(customerId).GetAsync();

    public async Task<IReadOnlyList<Notification>> GetNotificationsAsync(string customerId) =>
        await grains.GetGrain<IMailboxGrain>(customerId).GetAsync();

    public Task<SalesReport> GetSalesReportAsync() => grains.GetSalesReportAsync();
}
