using Marketplace.Grains.Paging;

namespace Marketplace.Grains.Orders;

/// <summary>A full page of a customer's order ids (key: page number, customer id).</summary>
public interface ICustomerOrdersPageGrain : IPageGrain<string>;

[GrainType("customer-orders-page")]
public sealed class CustomerOrdersPageGrain(
    [PersistentState("customer-orders-page", Storage.Name)] IPersistentState<PageState<string>> state) : PageGrain<string>(state), ICustomerOrdersPageGrain;
