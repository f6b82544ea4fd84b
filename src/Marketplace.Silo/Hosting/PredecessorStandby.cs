using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// Keeps a new silo out of the cluster while another silo at the same advertised endpoint is
/// still alive, and lets it join once that one has left.
/// </summary>
/// <remarks>
/// On Container Apps a silo app's new revision starts beside the old one and shares its endpoint
/// (the environment's IP and the app's exposed ports); the old one stops only once the new one is
/// ready. Orleans, finding an older generation at its own endpoint, declares it dead at once; the
/// old process then exits, its revision restarts it as the newest generation, and that one kills
/// the new silo in turn. Standing by breaks the cycle (for any other generation: the old revision
/// may restart its silo while the new one waits): this silo reports ready (so the platform
/// switches over and stops the old one gracefully) and joins when the old row is dead, or when it
/// has missed its "I am alive" writes long enough that Orleans would call it dead.
/// </remarks>
public sealed partial class PredecessorStandby(
    IMembershipTable table,
    ILocalSiloDetails silo,
    IOptions<ClusterMembershipOptions> membership,
    TimeProvider clock,
    ILogger<PredecessorStandby> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>A predecessor still alive after this long is left to Orleans, which declares it dead.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private volatile SiloAddress? waitingFor;

    /// <summary>The live predecessor this silo waits for, or null when it is not waiting (read by readiness).</summary>
    public SiloAddress? WaitingFor { get => waitingFor; private set => waitingFor = value; }

    /// <summary>Before the silo listens or touches membership: nothing of it is visible while it waits.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PredecessorStandby), ServiceLifecycleStage.RuntimeInitialize - 1, WaitForPredecessorAsync);

    private async Task WaitForPredecessorAsync(CancellationToken cancellationToken)
    {
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, cancellationToken);
        var started = clock.GetTimestamp();
        while (await LivePredecessorAsync(cancellationToken) is { } predecessor)
        {
            if (WaitingFor is null)
            {
                LogStandingBy(predecessor);
            }

            WaitingFor = predecessor;
            if (clock.GetElapsedTime(started) >= MaxWait)
            {
                LogGaveUp(predecessor, MaxWait);
                break;
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }

        if (WaitingFor is { } left)
        {
            var waited = clock.GetElapsedTime(started);
            LogJoining(left, waited);
            WaitingFor = null;
        }
    }

    private async Task<SiloAddress?> LivePredecessorAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var missAllowed = membership.Value.IAmAliveTablePublishTimeout * membership.Value.NumMissedTableIAmAliveLimit;
        var rows = await table.ReadAllAsync(cancellationToken);
        return rows.Members
            .Select(row => row.Item1)
            .Where(entry => entry.SiloAddress.Endpoint.Equals(silo.SiloAddress.Endpoint)
                && entry.SiloAddress.Generation != silo.SiloAddress.Generation
                && entry.Status is not (SiloStatus.Dead or SiloStatus.None)
                && now - Max(entry.IAmAliveTime, entry.StartTime) < missAllowed)
            .Select(entry => entry.SiloAddress)
            .FirstOrDefault();
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Standing by: silo {Predecessor} still serves this endpoint; joining once it leaves")]
    private partial void LogStandingBy(SiloAddress predecessor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Predecessor} has left after {Waited}; joining the cluster")]
    private partial void LogJoining(SiloAddress predecessor, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Predecessor} is still alive after {MaxWait}; joining anyway, and Orleans will declare it dead")]
    private partial void LogGaveUp(SiloAddress predecessor, TimeSpan maxWait);
}
