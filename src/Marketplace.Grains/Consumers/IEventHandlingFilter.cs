namespace Marketplace.Grains.Consumers;

/// <summary>
/// Runs before a consumer handles an event, and before each retry of it; what it throws is that
/// attempt's failure, parked, retried or dead-lettered as the handler's own would be. The place
/// for concerns around handling that are not a consumer's: injected faults
/// (<see cref="Faults.ConsumerFaults"/>) when they are configured. None is registered otherwise.
/// </summary>
public interface IEventHandlingFilter
{
    Task OnHandlingAsync(string consumer, OrderEvent e);
}
