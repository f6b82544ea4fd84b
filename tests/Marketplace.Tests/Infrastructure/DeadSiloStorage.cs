using Marketplace.Grains;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// The embedded store as the silos of a test cluster see it: one store for every silo of this
/// process (clusters of the same service id share their grains' state, as the silos of a service
/// share a real store), and a silo that is stopping, or killed, can no longer reach it, as a dead
/// process could not reach a real one. Without that, a killed silo's leftover activations, still
/// running in this process, would keep writing under the feet of their successors.
/// </summary>
public sealed class DeadSiloStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public static InProcessStateStore SharedStore { get; } = new();

    private volatile bool stopped;

    /// <summary>The host's own storage, as configured.</summary>
    public IGrainStorage Inner => inner;

    /// <summary>Puts every silo of the cluster on <see cref="SharedStore"/>, behind this.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(SharedStore);
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i] is { ServiceType: var type, IsKeyedService: true, ServiceKey: Storage.Name, KeyedImplementationFactory: { } create } && type == typeof(IGrainStorage))
            {
                services[i] = ServiceDescriptor.KeyedSingleton<IGrainStorage>(Storage.Name, (sp, _) => sp.GetRequiredService<DeadSiloStorage>());
                services.AddSingleton(sp => new DeadSiloStorage((IGrainStorage)create(sp, Storage.Name)));
                services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DeadSiloStorage>());
                return;
            }
        }
    }

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(DeadSiloStorage), ServiceLifecycleStage.Last, _ => Task.CompletedTask, _ =>
        {
            stopped = true;
            return Task.CompletedTask;
        });

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Reachable().ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Reachable().WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Reachable().ClearStateAsync(stateName, grainId, grainState);

    private IGrainStorage Reachable() =>
        stopped ? throw new OrleansException($"Silo stopping: grain storage '{Storage.Name}' is out of reach.") : inner;
}
