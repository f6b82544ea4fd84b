using Marketplace.Grains.Health;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Marketplace.Silo.Health;

/// <summary>
/// Ready when this silo is an active cluster member and storage and streams answer; or while it
/// stands by for its predecessor at the same endpoint, which leaves only once this one is ready.
/// </summary>
public sealed class ReadinessCheck(ILocalSiloDetails silo, IClusterMembershipService membership, IGrainFactory grains, PredecessorStandby? standby = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (standby?.WaitingFor is { } predecessor)
        {
            return HealthCheckResult.Degraded($"Standing by until silo {predecessor} leaves this endpoint.");
        }

        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"Silo is {status}.");
        }

        try
        {
            await grains.GetGrain<IHealthProbeGrain>(silo.SiloAddress.ToParsableString())
                .ProbeAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Grain storage or streams did not answer.", ex);
        }
    }
}
