namespace Marketplace.Grains.Paging;

/// <summary>A full page of a <see cref="PagedList{T}"/> (key: page number, owner id), written once.</summary>
public interface IPageGrain<T> : IGrainWithIntegerCompoundKey
{
    Task KeepAsync(ImmutableArray<T> items);

    [ReadOnly]
    Task<ImmutableArray<T>> GetAsync();
}

[GenerateSerializer, Alias("marketplace.page-state.v1`1")]
public sealed class PageState<T>
{
    [Id(0)] public ImmutableArray<T> Items { get; set; } = [];
}

/// <summary>The page grains' behaviour; each kind of page is a grain type of its own, with its own state name.</summary>
public abstract class PageGrain<T>(IPersistentState<PageState<T>> state) : Grain, IPageGrain<T>
{
    public async Task KeepAsync(ImmutableArray<T> items)
    {
        state.State.Items = items;
        await state.WriteStateAsync();
        DeactivateOnIdle(); // written once, read rarely
    }

    public Task<ImmutableArray<T>> GetAsync() => Task.FromResult(state.State.Items);
}
