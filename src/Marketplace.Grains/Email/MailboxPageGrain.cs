using Marketplace.Grains.Paging;

namespace Marketplace.Grains.Email;

/// <summary>A full page of a customer's notifications (key: page number, customer id).</summary>
public interface IMailboxPageGrain : IPageGrain<Notification>;

[GrainType("mailbox-page")]
public sealed class MailboxPageGrain(
    [PersistentState("mailbox-page", Storage.Name)] IPersistentState<PageState<Notification>> state) : PageGrain<Notification>(state), IMailboxPageGrain;
