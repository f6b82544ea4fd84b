using Marketplace.Contracts.DeadLetters;

namespace Marketplace.Tests.Faults;

public static class DeadLetters
{
    public static async Task<DeadLetter[]> OpenAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IDeadLetterIndexGrain>(0).GetIdsAsync();
        return (await Task.WhenAll(ids.Select(id => grains.GetGrain<IDeadLetterGrain>(id).GetAsync()))).OfType<DeadLetter>().ToArray();
    }
}
