namespace Marketplace.Grains.Catalog;

public enum ReservationStatus
{
    Held,
    Released,
    Committed,
}

[GenerateSerializer, Immutable, Alias("marketplace.reservation.v1")]
public sealed record Reservation(
    [property: Id(0)] int Quantity,
    [property: Id(1)] ReservationStatus Status);

[GenerateSerializer, Alias("marketplace.product-state.v1")]
public sealed class ProductState
{
    [Id(0)] public string? Name { get; set; }
    [Id(1)] public decimal Price { get; set; }
    [Id(2)] public int Available { get; set; }

    /// <summary>Units held by orders in flight: the sum of <see cref="Reservation"/>s still held.</summary>
    [Id(3)] public int Reserved { get; set; }

    /// <summary>Per order: what it holds or held, so each reservation call takes effect once.</summary>
    [Id(4)] public Dictionary<string, Reservation> Reservations { get; set; } = [];
}

/// <summary>
/// A sku: its price and stock. Every order touches its skus twice, so a popular sku is hot: calls
/// interleave (no call awaits between reading and changing the state) and share writes.
/// </summary>
[GrainType("product")]
[Reentrant]
public sealed partial class ProductGrain(
    [PersistentState("product", Storage.Name)] IPersistentState<ProductState> state,
    ILogger<ProductGrain> logger) : Grain, IProductGrain
{
    private readonly CoalescedWrites writes = new(() => state.WriteStateAsync());

    private string Sku => this.GetPrimaryKeyString();

    private ProductState Product => state.State;

    public async Task<ProductSnapshot> UpsertAsync(string name, decimal price, int stock)
    {
        if (Product.Name is null)
        {
            // Listed first: a failed write leaves a listed sku that reads as absent, never a product nobody can list.
            await GrainFactory.GetGrain<ICatalogGrain>(0).AddAsync(Sku);
        }

        Product.Name = name;
        Product.Price = price;
        Product.Available = stock;
        await writes.WriteAsync();
        return Snapshot()!;
    }

    public Task<ProductSnapshot?> GetAsync() => Task.FromResult(Snapshot());

    public async Task<ProductSnapshot?> RestockAsync(int quantity)
    {
        if (Product.Name is null)
        {
            return null;
        }

        Product.Available += quantity;
        await writes.WriteAsync();
        return Snapshot();
    }

    public async Task<bool> ReserveAsync(string orderId, int quantity)
    {
        if (Product.Reservations.TryGetValue(orderId, out var existing))
        {
            await writes.StoredAsync();
            return existing.Status != ReservationStatus.Released;
        }

        if (Product.Name is null || Product.Available < quantity)
        {
            await writes.StoredAsync(); // "none left" must not rest on holds that are not stored yet
            return false;
        }

        Product.Available -= quantity;
        Product.Reserved += quantity;
        Product.Reservations[orderId] = new Reservation(quantity, ReservationStatus.Held);
        await writes.WriteAsync();
        return true;
    }

    public async Task ReleaseAsync(string orderId)
    {
        Product.Reservations.TryGetValue(orderId, out var existing);
        switch (existing?.Status)
        {
            case ReservationStatus.Held:
                Product.Available += existing.Quantity;
                Product.Reserved -= existing.Quantity;
                break;
            case null:
                break; // a tombstone, so a reservation arriving late for this order can never hold stock
            case ReservationStatus.Released:
                await writes.StoredAsync();
                return;
            case ReservationStatus.Committed:
                LogCannotRelease(Sku, orderId);
                return;
        }

        Product.Reservations[orderId] = new Reservation(existing?.Quantity ?? 0, ReservationStatus.Released);
        await writes.WriteAsync();
    }

    public async Task CommitAsync(string orderId)
    {
        if (!Product.Reservations.TryGetValue(orderId, out var existing) || existing.Status != ReservationStatus.Held)
        {
            if (existing?.Status != ReservationStatus.Committed)
            {
                LogCannotCommit(Sku, orderId, existing?.Status);
            }

            await writes.StoredAsync();
            return;
        }

        Product.Reserved -= existing.Quantity;
        Product.Reservations[orderId] = existing with { Status = ReservationStatus.Committed };
        await writes.WriteAsync();
    }

    private ProductSnapshot? Snapshot() => Product.Name is null
        ? null
        : new ProductSnapshot(Sku, Product.Name, Product.Price, Product.Available, Product.Reserved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sku {Sku}: order {OrderId} was already sold; its reservation cannot be released")]
    private partial void LogCannotRelease(string sku, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sku {Sku}: order {OrderId} holds no reservation to commit ({Status})")]
    private partial void LogCannotCommit(string sku, string orderId, ReservationStatus? status);
}
