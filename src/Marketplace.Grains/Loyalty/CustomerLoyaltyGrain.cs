using Microsoft.Extensions.Options;

namespace Marketplace.Grains.Loyalty;

[GenerateSerializer, Alias("marketplace.loyalty-state.v1")]
public sealed class LoyaltyState
{
    [Id(0)] public long Points { get; set; }

    /// <summary>Orders awarded as stored before <see cref="Awarded"/>: honoured, never written again.</summary>
    [Id(1)] public HashSet<string>? AwardedBeforeV2 { get; set; }

    /// <summary>Orders awarded lately: an award repeated within the window counts once.</summary>
    [Id(2)] public RecentIds Awarded { get; set; } = RecentIds.Empty;
}

[GrainType("customer-loyalty")]
public sealed class CustomerLoyaltyGrain(
    [PersistentState("loyalty", Storage.Name)] IPersistentState<LoyaltyState> state,
    TimeProvider clock,
    IOptions<IdempotencyOptions> idempotency) : Grain, ICustomerLoyaltyGrain
{
    public async Task<LoyaltySnapshot> AwardAsync(string orderId, decimal orderTotal)
    {
        if (!state.State.Awarded.Contains(orderId) && state.State.AwardedBeforeV2?.Contains(orderId) != true)
        {
            state.State.Points += PointsFor(orderTotal);
            state.State.Awarded = state.State.Awarded.Add(orderId, clock.GetUtcNow(), idempotency.Value.Window);
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
