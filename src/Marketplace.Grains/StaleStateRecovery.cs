namespace Marketplace.Grains;

/// <summary>
/// One rule for every grain: an activation whose call failed is discarded. Grains change their
/// state in memory, then write it; if the write (or anything after the change) fails, the memory
/// is ahead of storage, or behind it when the write met a newer row (an ETag conflict,
/// <see cref="InconsistentStateException"/>: another activation or writer got there first).
/// Keeping such an activation would let a retry see a change that was never stored, or overwrite
/// a newer one. So the failure goes back to the caller, the activation goes away, and the next
/// call reads the row afresh. Consumers retry, and idempotent handling makes the retry safe.
/// </summary>
public sealed partial class StaleStateRecovery(ILogger<StaleStateRecovery> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (IsMarketplaceGrain(context))
        {
            if (ex is InconsistentStateException)
            {
                LogStale(ex, context.TargetId);
            }

            // No exception in the reason: requests queued behind this one are rerouted to the next
            // activation instead of being failed with this call's error.
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "A call failed; the in-memory state is not trusted."));
            throw;
        }
    }

    // Only our grains: Orleans' own (memory storage, stream queues, dashboard) keep their own rules.
    private static bool IsMarketplaceGrain(IIncomingGrainCallContext context) =>
        context.TargetContext.GrainInstance?.GetType().Namespace?.StartsWith("Marketplace.", StringComparison.Ordinal) == true;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain {GrainId}: state changed underneath it (ETag conflict); deactivating so the next call reads it afresh")]
    private partial void LogStale(Exception ex, GrainId grainId);
}
