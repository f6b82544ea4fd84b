namespace Marketplace.LoadTest.Direct;

/// <summary>
/// The benchmark's baseline: checkout as one synchronous chain. The order grain itself calls each
/// service's entity grain in turn and returns when the order is Fulfilled or Cancelled.
/// </summary>
public interface IDirectOrderGrain : IGrainWithStringKey
{
    Task<PlaceOrderResult> PlaceAsync(PlaceOrder command);

    [ReadOnly]
    Task<OrderSnapshot?> GetAsync();
}
