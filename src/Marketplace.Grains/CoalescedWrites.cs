namespace Marketplace.Grains;

/// <summary>
/// Lets the calls of a hot <c>[Reentrant]</c> grain share its storage writes. A call changes the
/// state in memory, without awaiting in between, then awaits <see cref="WriteAsync"/>: that
/// completes once a write that began after the change has succeeded. One write runs at a time and
/// every change made meanwhile rides on the next one, so under load many calls cost one write (and
/// one serialization of a large state) instead of one each; alone, a call costs what it did.
/// A failed write fails every call that waits on it, and the one queued behind it, so each caller
/// retries against a fresh activation (see <see cref="StaleStateRecovery"/>).
/// </summary>
public sealed class CoalescedWrites(Func<Task> write)
{
    private Task running = Task.CompletedTask;
    private Task? queued;

    /// <summary>Completes when every change made before this call is stored.</summary>
    public Task WriteAsync() => queued ??= WriteNextAsync();

    /// <summary>
    /// Completes when what is in memory now is stored, without asking for a write: for a call that
    /// changed nothing but must not report a change another call has made and not yet stored.
    /// </summary>
    public Task StoredAsync() => queued ?? running;

    private async Task WriteNextAsync()
    {
        var previous = running;
        await Task.Yield(); // on the grain's scheduler: the calling turn ends and other calls may join this write
        await previous;
        queued = null; // from here on a change needs the write after this one
        running = write();
        await running;
    }
}
