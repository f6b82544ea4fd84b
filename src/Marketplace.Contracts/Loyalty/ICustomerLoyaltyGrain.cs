namespace Marketplace.Contracts.Loyalty;

[GenerateSerializer, Immutable, Alias("marketplace.loyalty.v1")]
public sealed record LoyaltySnapshot(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long Points,
    [property: Id(2)] string Tier);

/// <summary>A customer's points (key: customer id); each order is awarded at most once.</summary>
public interface ICustomerLoyaltyGrain : IGrainWithStringKey
{
    Task<LoyaltySnapshot> AwardAsync(string orderId, decimal orderTotal);

    [ReadOnly]
    Task<LoyaltySnapshot> GetAsync();
}
