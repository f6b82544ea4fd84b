using Microsoft.Extensions.Options;

namespace Marketplace.Grains.Email;

[GenerateSerializer, Alias("marketplace.mailbox-state.v1")]
public sealed class MailboxState
{
    /// <summary>The latest notifications, at most <see cref="MailboxGrain.PageSize"/>; older ones are in pages.</summary>
    [Id(0)] public List<Notification> Sent { get; set; } = [];

    /// <summary>How many full pages went to <see cref="IMailboxPageGrain"/> (numbered from 0).</summary>
    [Id(1)] public int Pages { get; set; }

    /// <summary>Order and kind of what was sent lately, so a repeat is recognised after its page moved out.</summary>
    [Id(2)] public RecentIds Recent { get; set; } = RecentIds.Empty;
}

/// <summary>
/// Stands in for the mail provider: what would have been sent, once per order and kind. A customer
/// with years of orders has thousands of notifications, so the row keeps only the latest page;
/// each full page is written once to a grain of its own, and a read gathers them.
/// </summary>
[GrainType("mailbox")]
public sealed class MailboxGrain(
    [PersistentState("mailbox", Storage.Name)] IPersistentState<MailboxState> state,
    TimeProvider clock,
    IOptions<IdempotencyOptions> idempotency) : Grain, IMailboxGrain
{
    /// <summary>About 18 KB stored: a page and the recent ids stay far below Table storage's limits.</summary>
    public const int PageSize = 100;

    private MailboxState Mailbox => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    public async Task<Notification> SendAsync(string orderId, string kind, string subject)
    {
        var key = $"{orderId}/{kind}";
        if (Mailbox.Sent.Find(n => n.OrderId == orderId && n.Kind == kind) is { } sent)
        {
            return sent;
        }

        if (Mailbox.Recent.Contains(key) && await FindInPagesAsync(orderId, kind) is { } paged)
        {
            return paged;
        }

        if (Mailbox.Sent.Count >= PageSize)
        {
            // The page first: if the write below fails, the next activation writes the same page again.
            await Page(Mailbox.Pages).KeepAsync([.. Mailbox.Sent]);
            Mailbox.Sent = [];
            Mailbox.Pages++;
        }

        var notification = new Notification(orderId, kind, AddressOf(CustomerId), subject, clock.GetUtcNow());
        Mailbox.Sent.Add(notification);
        Mailbox.Recent = Mailbox.Recent.Add(key, notification.SentAt, idempotency.Value.Window);
        await state.WriteStateAsync();
        return notification;
    }

    public async Task<ImmutableArray<Notification>> GetAsync()
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Mailbox.Pages).Select(p => Page(p).GetAsync()));
        return [.. pages.SelectMany(p => p), .. Mailbox.Sent];
    }

    /// <summary>A repeat whose first sending is in a page already (rare: a page fills within the repeat window).</summary>
    private async Task<Notification?> FindInPagesAsync(string orderId, string kind)
    {
        for (var p = Mailbox.Pages - 1; p >= 0; p--)
        {
            if ((await Page(p).GetAsync()).FirstOrDefault(n => n.OrderId == orderId && n.Kind == kind) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private IMailboxPageGrain Page(int number) => GrainFactory.GetGrain<IMailboxPageGrain>(number, CustomerId);

    private static string AddressOf(string customerId) => $"{customerId}@customers.marketplace.example";
}
