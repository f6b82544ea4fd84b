using Marketplace.Grains.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Marketplace.Silo.Health;

/// <summary>The API role's readiness: the cluster has an active silo, and its storage and streams answer.</summary>
public sealed class ClusterReadinessCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            if (silos.Count == 0)
            {
                return HealthCheckResult.Unhealthy("No silo is active.");
            }

            await grains.GetGrain<IHealthProbeGrain>("api").ProbeAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster did not answer.", ex);
        }
    }
}
