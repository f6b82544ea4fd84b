namespace Marketplace.Grains.Paging;

/// <summary>The row of a <see cref="PagedList{T}"/>: the latest page, how many full pages moved out, and the keys added lately.</summary>
[GenerateSerializer, Alias("marketplace.paged-list-state.v1`1")]
public sealed class PagedListState<T>
{
    /// <summary>The latest items, at most a page; older ones are in page grains.</summary>
    [Id(0)] public List<T> Latest { get; set; } = [];

    /// <summary>How many full pages went to page grains (numbered from 0).</summary>
    [Id(1)] public int Pages { get; set; }

    /// <summary>The keys of what was added lately, so a repeat is recognised after its page moved out.</summary>
    [Id(2)] public RecentIds Recent { get; set; } = RecentIds.Empty;
}

/// <summary>
/// A list that grows with one owner's history (a customer's notifications, orders) while the
/// owner's row stays the size of a page: each full page is written once to a grain of its own, and
/// a read gathers them. A repeat is found in the latest page, or, when its key was added within the
/// repeat window, in the pages.
/// </summary>
internal sealed class PagedList<T>(
    IPersistentState<PagedListState<T>> state, Func<int, IPageGrain<T>> page, TimeProvider clock, TimeSpan repeatWindow, int pageSize)
    where T : class
{
    private PagedListState<T> List => state.State;

    /// <summary>What was added under <paramref name="key"/> (recognised by <paramref name="isIt"/>), or null.</summary>
    public async Task<T?> FindAsync(string key, Func<T, bool> isIt)
    {
        if (List.Latest.FirstOrDefault(isIt) is { } latest)
        {
            return latest;
        }

        if (!List.Recent.Contains(key))
        {
            return null;
        }

        for (var p = List.Pages - 1; p >= 0; p--)
        {
            if ((await page(p).GetAsync()).FirstOrDefault(isIt) is { } paged)
            {
                return paged;
            }
        }

        return null;
    }

    public async Task AddAsync(T item, string key)
    {
        if (List.Latest.Count >= pageSize)
        {
            // The page first: if the write below fails, the next activation writes the same page again.
            await page(List.Pages).KeepAsync([.. List.Latest]);
            List.Latest = [];
            List.Pages++;
        }

        List.Latest.Add(item);
        List.Recent = List.Recent.Add(key, clock.GetUtcNow(), repeatWindow);
        await state.WriteStateAsync();
    }

    /// <summary>Every item, oldest first.</summary>
    public async Task<ImmutableArray<T>> AllAsync()
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, List.Pages).Select(p => page(p).GetAsync()));
        return [.. pages.SelectMany(p => p), .. List.Latest];
    }
}
