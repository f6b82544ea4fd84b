namespace Marketplace.Grains;

/// <summary>
/// Optimistic concurrency, recovered in one place for every grain. A write that meets an ETag
/// conflict means this activation's copy of the state is stale (another activation or writer
/// got there first) and its in-memory changes must not survive. The activation is discarded,
/// the caller sees the <see cref="InconsistentStateException"/>, and the next call activates
/// the grain afresh from storage. Consumers retry such failures, so the event is handled again
/// against current state; idempotent handling makes that safe.
/// </summary>
public sealed partial class StaleStateRecovery(ILogger<StaleStateRecovery> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (InconsistentStateException ex)
        {
            LogStale(ex, context.TargetId);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, ex, "Grain state is stale (ETag conflict)."));
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain {GrainId}: state changed underneath it (ETag conflict); deactivating so the next call reads it afresh")]
    private partial void LogStale(Exception ex, GrainId grainId);
}
