namespace Marketplace.Grains.Catalog;

[GenerateSerializer, Alias("marketplace.catalog-state.v1")]
public sealed class CatalogState
{
    [Id(0)] public SortedSet<string> Skus { get; set; } = new(StringComparer.Ordinal);
}

[GrainType("catalog")]
public sealed class CatalogGrain(
    [PersistentState("catalog", Storage.Name)] IPersistentState<CatalogState> state) : Grain, ICatalogGrain
{
    public async Task AddAsync(string sku)
    {
        if (state.State.Skus.Add(sku))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> GetSkusAsync() => Task.FromResult(state.State.Skus.ToImmutableArray());
}
