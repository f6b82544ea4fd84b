using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Orleans.Streams;

namespace Marketplace.Grains.Health;

public interface IHealthProbeGrain : IGrainWithStringKey
{
    /// <summary>Throws unless grain storage answers and the event stream provider is in place.</summary>
    Task ProbeAsync();
}

[GenerateSerializer, Alias("marketplace.health-probe-state.v1")]
public sealed class HealthProbeState
{
    [Id(0)] public DateTimeOffset? LastProbe { get; set; }
}

/// <summary>Readiness from the inside: a real storage read and a real stream provider lookup.</summary>
[PreferLocalPlacement]
[GrainType("health-probe")]
public sealed class HealthProbeGrain(
    [PersistentState("health", Storage.Name)] IPersistentState<HealthProbeState> state) : Grain, IHealthProbeGrain
{
    public async Task ProbeAsync()
    {
        await state.ReadStateAsync();
        _ = ServiceProvider.GetRequiredKeyedService<IStreamProvider>(EventStreams.Provider);
    }
}
