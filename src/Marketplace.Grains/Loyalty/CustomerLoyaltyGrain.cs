namespace Marketplace.Grains.Loyalty;

[GenerateSerializer, Alias("marketplace.loyalty-state.v1")]
public sealed class LoyaltyState
{
    [Id(0)] public long Points { get; set; }
    [Id(1)] public HashSet<string> AwardedOrders { get; set; } = [];
}

[GrainType("customer-loyalty")]
public sealed class CustomerLoyaltyGrain(
    [PersistentState("loyalty", Storage.Name)] IPersistentState<LoyaltyState> state) : Grain, ICustomerLoyaltyGrain
{
    public async Task<LoyaltySnapshot> AwardAsync(string orderId, decimal orderTotal)
    {
        if (state.State.AwardedOrders.Add(orderId))
        {
            state.State.Points += PointsFor(orderTotal);
            await state.WriteStateAsync();
        }

        return Snapshot();
    }

    public Task<LoyaltySnapshot> GetAsync() => Task.FromResult(Snapshot());

    /// <summary>One point per whole unit of currency.</summary>
    public static long PointsFor(decimal orderTotal) => (long)decimal.Floor(orderTotal);

    public static string TierFor(long points) => points switch
    {
        < 1_000 => "Bronze",
        < 10_000 => "Silver",
        _ => "Gold",
    };

    private LoyaltySnapshot Snapshot() =>
        new(this.GetPrimaryKeyString(), state.State.Points, TierFor(state.State.Points));
}
