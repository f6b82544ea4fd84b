using System.Collections.Immutable;

namespace Marketplace.Contracts.Catalog;

[GenerateSerializer, Immutable, Alias("marketplace.product.v1")]
public sealed record ProductSnapshot(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] decimal Price,
    [property: Id(3)] int Available,
    [property: Id(4)] int Reserved);

/// <summary>
/// One sku's price and stock (key: sku). Reservations are keyed by order id, so a reserve, release
/// or commit repeated for the same order changes nothing the second time.
/// </summary>
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Creates the product, or replaces name and price and sets available stock.</summary>
    Task<ProductSnapshot> UpsertAsync(string name, decimal price, int stock);

    [ReadOnly]
    Task<ProductSnapshot?> GetAsync();

    /// <returns>The product, or null when the sku is not in the catalog.</returns>
    Task<ProductSnapshot?> RestockAsync(int quantity);

    /// <returns>True when the order holds <paramref name="quantity"/> units (now or already).</returns>
    Task<bool> ReserveAsync(string orderId, int quantity);

    /// <summary>Gives the order's reservation back; afterwards the order can never reserve this sku.</summary>
    Task ReleaseAsync(string orderId);

    /// <summary>Turns the order's reservation into a sale.</summary>
    Task CommitAsync(string orderId);
}

/// <summary>The set of skus (one instance, key 0), so the catalog can be listed.</summary>
public interface ICatalogGrain : IGrainWithIntegerKey
{
    Task AddAsync(string sku);

    [ReadOnly]
    Task<ImmutableArray<string>> GetSkusAsync();
}

public static class CatalogGrains
{
    /// <summary>The one catalog.</summary>
    public static ICatalogGrain Catalog(this IGrainFactory grains) => grains.GetGrain<ICatalogGrain>(0);
}
