namespace Marketplace.Grains.Consumers;

/// <summary>Transient failures are retried; anything else is permanent and goes to the dead letters at once.</summary>
public static class Failures
{
    public static bool IsTransient(Exception ex) => ex is not GrainStateTooLargeException // no retry makes it fit
        and (TransientException // ours: the gateway, injected faults
        or InconsistentStateException // a stale activation, discarded: the retry reads afresh
        or TimeoutException
        or OrleansException); // the runtime: a silo leaving, a message rejected, storage unreachable
}

/// <summary>Handling <see cref="Event"/> failed after <see cref="Attempts"/> attempts.</summary>
public sealed class HandlingFailedException(OrderEvent @event, int attempts, Exception inner)
    : Exception($"{@event.TypeName} #{@event.Sequence} failed after {attempts} attempt(s): {inner.Message}", inner)
{
    public OrderEvent Event { get; } = @event;

    public int Attempts { get; } = attempts;
}
