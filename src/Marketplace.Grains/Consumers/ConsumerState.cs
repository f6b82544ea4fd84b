namespace Marketplace.Grains.Consumers;

/// <summary>
/// A consumer's durable progress for one order: the events it has handled (written in the same
/// state write as its own saga state, so a redelivered event is recognised) and its saga state.
/// </summary>
[GenerateSerializer, Alias("marketplace.consumer-state.v1")]
public sealed class ConsumerState<TSaga> where TSaga : new()
{
    [Id(0)] public Dictionary<Guid, DateTimeOffset> Handled { get; set; } = [];

    [Id(1)] public TSaga Saga { get; set; } = new();

    /// <summary>Events dead-lettered and not handled since: their letters close when they are.</summary>
    [Id(2)] public HashSet<Guid> DeadLettered { get; set; } = [];
}

/// <summary>Saga state of a consumer that needs none.</summary>
[GenerateSerializer, Alias("marketplace.no-saga.v1")]
public sealed class NoSaga;
