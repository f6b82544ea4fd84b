using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Grains.Shipping;

[GenerateSerializer, Alias("marketplace.shipment-state.v1")]
public sealed class ShipmentState
{
    [Id(0)] public ShipmentSnapshot? Shipment { get; set; }
}

[GrainType("shipment")]
public sealed class ShipmentGrain(
    [PersistentState("shipment", Storage.Name)] IPersistentState<ShipmentState> state) : Grain, IShipmentGrain
{
    public const string Scheduled = "Scheduled";

    public async Task<ShipmentSnapshot> ScheduleAsync(Address address)
    {
        if (state.State.Shipment is { } existing)
        {
            return existing;
        }

        var orderId = this.GetPrimaryKeyString();
        state.State.Shipment = new ShipmentSnapshot(orderId, Scheduled, TrackingNumberFor(orderId), address);
        await state.WriteStateAsync();
        DeactivateOnIdle(); // scheduled once: later reads are rare, and an activation is memory
        return state.State.Shipment;
    }

    public Task<ShipmentSnapshot?> GetAsync() => Task.FromResult(state.State.Shipment);

    /// <summary>Derived from the order id, so the carrier label is the same however often it is printed.</summary>
    private static string TrackingNumberFor(string orderId) =>
        "MP" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(orderId)), 0, 6);
}
