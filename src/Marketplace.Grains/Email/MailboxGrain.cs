using Marketplace.Grains.Paging;
using Microsoft.Extensions.Options;

namespace Marketplace.Grains.Email;

/// <summary>
/// Stands in for the mail provider: what would have been sent, once per order and kind. A customer
/// with years of orders has thousands of notifications: the row keeps the latest page
/// (<see cref="PagedList{T}"/>).
/// </summary>
[GrainType("mailbox")]
public sealed class MailboxGrain(
    [PersistentState("mailbox", Storage.Name)] IPersistentState<PagedListState<Notification>> state,
    TimeProvider clock,
    IOptions<IdempotencyOptions> idempotency) : Grain, IMailboxGrain
{
    /// <summary>About 18 KB stored: a page and the recent ids stay far below Table storage's limits.</summary>
    public const int PageSize = 100;

    private PagedList<Notification>? paged;

    private string CustomerId => this.GetPrimaryKeyString();

    private PagedList<Notification> Sent => paged ??= new(
        state, page => GrainFactory.GetGrain<IMailboxPageGrain>(page, CustomerId), clock, idempotency.Value.Window, PageSize);

    public async Task<Notification> SendAsync(string orderId, string kind, string subject)
    {
        var key = $"{orderId}/{kind}";
        if (await Sent.FindAsync(key, n => n.OrderId == orderId && n.Kind == kind) is { } sent)
        {
            return sent;
        }

        var notification = new Notification(orderId, kind, AddressOf(CustomerId), subject, clock.GetUtcNow());
        await Sent.AddAsync(notification, key);
        return notification;
    }

    public Task<ImmutableArray<Notification>> GetAsync() => Sent.AllAsync();

    private static string AddressOf(string customerId) => $"{customerId}@customers.marketplace.example";
}
