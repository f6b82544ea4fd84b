using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Marketplace.Grains.Faults;

[GenerateSerializer, Alias("marketplace.injected-transient-fault")]
public sealed class InjectedTransientFaultException(string message) : TransientException(message);

[GenerateSerializer, Alias("marketplace.injected-permanent-fault")]
public sealed class InjectedPermanentFaultException(string message) : Exception(message);

/// <summary>
/// A process dying after a write: the write is done, the caller sees a failure. An
/// <see cref="OrleansException"/>, as the runtime's own failures are, so that the grain storage
/// passes it on as it is (it wraps any other).
/// </summary>
[GenerateSerializer, Alias("marketplace.injected-crash")]
public sealed class InjectedCrashException(string message) : OrleansException(message);

/// <summary>
/// Reads <see cref="FaultOptions"/> by name and rolls the dice. A configuration reload takes effect
/// at once, so a fault can be switched off while the system runs. The grains know nothing of it:
/// <see cref="InjectedFaults"/> wraps the providers, and <see cref="ConsumerFaults"/> filters the
/// consumers' handling, only where faults are configured.
/// </summary>
public sealed class FaultInjector
{
    public const string Order = "order";
    public const string Gateway = "gateway";
    public const string Streams = "streams";

    private readonly ConcurrentDictionary<string, FaultOptions> byName = new(StringComparer.Ordinal);
    private readonly Func<string, FaultOptions> create;

    public FaultInjector(IOptionsFactory<FaultOptions> factory, IConfiguration configuration)
    {
        create = factory.Create; // one delegate, not one per event
        ChangeToken.OnChange(configuration.GetReloadToken, byName.Clear);
    }

    /// <summary>Simulates a dropped connection after the gateway charged: the answer to this request of a key is lost.</summary>
    public bool LosesGatewayAnswer(int request) => request <= Get(Gateway).LostResponses;

    public FaultOptions Get(string name) => byName.GetOrAdd(name, create);

    public static bool Roll(double rate) => rate > 0 && Random.Shared.NextDouble() < rate;
}
