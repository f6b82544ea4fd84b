namespace Marketplace.Grains.Consumers;

/// <summary>
/// One consumer's durable progress over one shard: a record per order that is open or recently
/// concluded, and the stream clocks that decide when a concluded order's record may go. Everything
/// here is immutable, so the state is written once per batch and a write copies references, not
/// every order of the shard.
/// </summary>
[GenerateSerializer, Alias("marketplace.consumer-state.v2")]
public sealed class ConsumerState<TNotes> where TNotes : new()
{
    [Id(0)] public ImmutableDictionary<string, OrderProgress<TNotes>> Orders { get; set; } = ImmutableDictionary<string, OrderProgress<TNotes>>.Empty;

    /// <summary>Per conclusion namespace: the latest <see cref="OrderEvent.OccurredAt"/> delivered on that stream.</summary>
    [Id(1)] public ImmutableDictionary<string, DateTimeOffset> Clocks { get; set; } = ImmutableDictionary<string, DateTimeOffset>.Empty;

    /// <summary>
    /// Per conclusion namespace: the latest conclusion among the orders whose records were pruned.
    /// An order that concluded on that stream no later than this, and has no record, was handled
    /// in full and forgotten (see <see cref="ConsumerOptions.Retention"/>).
    /// </summary>
    [Id(2)] public ImmutableDictionary<string, DateTimeOffset> ForgottenThrough { get; set; } = ImmutableDictionary<string, DateTimeOffset>.Empty;
}

/// <summary>When a consumer handled one of an order's events.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.handled-event.v1")]
public readonly record struct HandledEvent([property: Id(0)] long Sequence, [property: Id(1)] DateTimeOffset At);

/// <summary>What one consumer has done for one order, and what it still owes it.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.order-progress.v1")]
public sealed record OrderProgress<TNotes> where TNotes : new()
{
    [Id(0)] public ImmutableArray<HandledEvent> Handled { get; init; } = [];

    /// <summary>The concern's own state for the order. Never changed in place: a handler works on a copy.</summary>
    [Id(1)] public TNotes Notes { get; init; } = new();

    /// <summary>Sequences given up on (dead letters): the record stays until they are handled.</summary>
    [Id(2)] public ImmutableArray<long> DeadLettered { get; init; } = [];

    /// <summary>The namespace of the order's conclusion, once this consumer has handled it.</summary>
    [Id(3)] public string? ConcludedOn { get; init; }

    /// <summary>When the journal recorded the conclusion.</summary>
    [Id(4)] public DateTimeOffset ConcludedAt { get; init; }

    /// <summary>Parked: delivered but not handled, in sequence order, behind the first one that failed.</summary>
    [Id(5)] public ImmutableArray<OrderEvent> Waiting { get; init; } = [];

    [Id(6)] public int Attempts { get; init; }

    [Id(7)] public DateTimeOffset? FailingSince { get; init; }

    [Id(8)] public DateTimeOffset? RetryAt { get; init; }

    [Id(9)] public int DuplicatesIgnored { get; init; }

    /// <summary>When any event of the order last reached this consumer.</summary>
    [Id(10)] public DateTimeOffset LastSeenAt { get; init; }

    public bool IsHandled(long sequence)
    {
        foreach (var handled in Handled)
        {
            if (handled.Sequence == sequence)
            {
                return true;
            }
        }

        return false;
    }

    public bool IsParked => !Waiting.IsEmpty;

}

/// <summary>The notes of a consumer that keeps none about an order.</summary>
// The alias is from when notes were called sagas: stored states name it.
[GenerateSerializer, Immutable, Alias("marketplace.no-saga.v1")]
public sealed class NoNotes;
