using Marketplace.Grains.Consumers;

namespace Marketplace.Grains.Faults;

/// <summary>A slow or failing dependency, per consumer (<c>Marketplace:Faults:{consumer}</c>): a delay, then a failure at the configured rate.</summary>
public sealed class ConsumerFaults(FaultInjector faults) : IEventHandlingFilter
{
    public async Task OnHandlingAsync(string consumer, OrderEvent e)
    {
        var options = faults.Get(consumer);
        if (options.Delay > TimeSpan.Zero)
        {
            await Task.Delay(options.Delay);
        }

        if ((options.Orders.Count == 0 || options.Orders.Contains(e.OrderId)) && FaultInjector.Roll(options.FailureRate))
        {
            var message = $"Injected {options.Kind.ToString().ToLowerInvariant()} fault: {consumer} on {e.TypeName} #{e.Sequence} of order {e.OrderId}.";
            throw options.Kind == FaultKind.Transient ? new InjectedTransientFaultException(message) : new InjectedPermanentFaultException(message);
        }
    }
}
