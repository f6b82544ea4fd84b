using Marketplace.Contracts.DeadLetters;

namespace Marketplace.Grains.DeadLetters;

[GenerateSerializer, Alias("marketplace.dead-letter-state.v1")]
public sealed class DeadLetterState
{
    [Id(0)] public DeadLetter? Letter { get; set; }
    [Id(1)] public OrderEvent? Event { get; set; }

    /// <summary>Set when a replay was handled: the letter is closed.</summary>
    [Id(2)] public DateTimeOffset? ReplayedAt { get; set; }
}

[GrainType("dead-letter")]
public sealed partial class DeadLetterGrain(
    [PersistentState("dead-letter", Storage.Name)] IPersistentState<DeadLetterState> state,
    EventShards shards,
    TimeProvider clock,
    ILogger<DeadLetterGrain> logger) : Grain, IDeadLetterGrain
{
    private IDeadLetterIndexGrain Index => GrainFactory.DeadLetterIndex();

    public static string IdOf(string consumer, Guid eventId) =>
        DeterministicIds.Create(Namespace, $"{consumer}/{eventId}").ToString();

    private static readonly Guid Namespace = new("3c1a9f4e-7d2b-4f8a-9e6c-5b0d1a2f3e04");

    public async Task RecordAsync(DeadLetter letter, OrderEvent @event)
    {
        // Listed first: a letter that is stored but not listed would be a silent failure.
        await Index.AddAsync(letter.Id);
        var attemptsBefore = state.State.ReplayedAt is null ? state.State.Letter?.Attempts ?? 0 : 0;
        state.State.Letter = letter with { Attempts = attemptsBefore + letter.Attempts };
        state.State.Event = @event;
        state.State.ReplayedAt = null;
        await state.WriteStateAsync();
    }

    public async Task<ReplayResult> ReplayAsync()
    {
        if (state.State is not { Letter: { } letter, Event: { } @event })
        {
            return new ReplayResult(ReplayOutcome.NotFound, null);
        }

        if (state.State.ReplayedAt is null)
        {
            try
            {
                await GrainFactory.GetGrain<IOrderEventConsumer>(GrainId.Create(GrainType.Create(letter.Consumer), shards.KeyOf(letter.OrderId))).ReplayAsync(@event);
            }
            catch (Exception ex)
            {
                LogReplayFailed(ex, letter.Id, letter.Consumer);
                // Read again: a RecordAsync may have interleaved while the replay was out.
                var current = state.State.Letter!;
                state.State.Letter = current with { Error = ex.Message, Attempts = current.Attempts + 1, FailedAt = clock.GetUtcNow() };
                await state.WriteStateAsync();
                return new ReplayResult(ReplayOutcome.Failed, state.State.Letter);
            }

            state.State.ReplayedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
            LogReplayed(letter.Id, letter.Consumer, letter.Type, letter.OrderId);
        }

        await Index.RemoveAsync(letter.Id);
        return new ReplayResult(ReplayOutcome.Handled, letter);
    }

    public Task<DeadLetter?> GetAsync() => Task.FromResult(state.State.Letter);

    public async Task CloseAsync()
    {
        if (state.State.Letter is { } letter && state.State.ReplayedAt is null)
        {
            state.State.ReplayedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
            await Index.RemoveAsync(letter.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead letter {Id}: {Consumer} handled {EventType} of order {OrderId} on replay")]
    private partial void LogReplayed(string id, string consumer, string eventType, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {Id}: {Consumer} failed again on replay")]
    private partial void LogReplayFailed(Exception ex, string id, string consumer);
}

[GenerateSerializer, Alias("marketplace.dead-letter-index-state.v1")]
public sealed class DeadLetterIndexState
{
    [Id(0)] public SortedSet<string> Open { get; set; } = new(StringComparer.Ordinal);
}

[GrainType("dead-letter-index")]
public sealed class DeadLetterIndexGrain(
    [PersistentState("dead-letter-index", Storage.Name)] IPersistentState<DeadLetterIndexState> state) : Grain, IDeadLetterIndexGrain
{
    public async Task AddAsync(string id)
    {
        if (state.State.Open.Add(id))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string id)
    {
        if (state.State.Open.Remove(id))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> GetIdsAsync() => Task.FromResult(state.State.Open.ToImmutableArray());
}
