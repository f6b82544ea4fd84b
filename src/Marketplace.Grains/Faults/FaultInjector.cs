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
/// Applies <see cref="FaultOptions"/>; does nothing when none are configured. A configuration
/// reload takes effect at once, so a fault can be switched off while the system runs.
/// </summary>
public sealed class FaultInjector
{
    public const string Order = "order";
    public const string Gateway = "gateway";

    private readonly ConcurrentDictionary<string, FaultOptions> byName = new(StringComparer.Ordinal);
    private readonly Func<string, FaultOptions> create;

    public FaultInjector(IOptionsFactory<FaultOptions> factory, IConfiguration configuration)
    {
        create = factory.Create; // one delegate, not one per event
        ChangeToken.OnChange(configuration.GetReloadToken, byName.Clear);
    }

    public async Task BeforeHandlingAsync(string consumer, OrderEvent e)
    {
        var faults = Get(consumer);
        if (faults.Delay > TimeSpan.Zero)
        {
            await Task.Delay(faults.Delay);
        }

        if ((faults.Orders.Count == 0 || faults.Orders.Contains(e.OrderId)) && Roll(faults.FailureRate))
        {
            var message = $"Injected {faults.Kind.ToString().ToLowerInvariant()} fault: {consumer} on {e.TypeName} #{e.Sequence} of order {e.OrderId}.";
            throw faults.Kind == FaultKind.Transient ? new InjectedTransientFaultException(message) : new InjectedPermanentFaultException(message);
        }
    }

    public bool DeliverTwice(string consumer) => Roll(Get(consumer).DuplicateRate);

    /// <summary>Simulates the journal's process dying after its write and before its publish.</summary>
    public void CrashBeforePublish(string orderId)
    {
        if (Roll(Get(Order).CrashBeforePublishRate))
        {
            throw new InjectedTransientFaultException($"Injected crash between the write and the publish of order {orderId}.");
        }
    }

    /// <summary>Simulates a dropped connection after the gateway charged: the answer to this request of a key is lost.</summary>
    public bool LosesGatewayAnswer(int request) => request <= Get(Gateway).LostResponses;

    private FaultOptions Get(string name) => byName.GetOrAdd(name, create);

    private static bool Roll(double rate) => rate > 0 && Random.Shared.NextDouble() < rate;
}
