namespace Marketplace.Grains.Email;

/// <summary>A full page of a customer's notifications (key: page number, customer id), written once.</summary>
public interface IMailboxPageGrain : IGrainWithIntegerCompoundKey
{
    Task KeepAsync(ImmutableArray<Notification> notifications);

    [ReadOnly]
    Task<ImmutableArray<Notification>> GetAsync();
}

[GenerateSerializer, Alias("marketplace.mailbox-page-state.v1")]
public sealed class MailboxPageState
{
    [Id(0)] public ImmutableArray<Notification> Notifications { get; set; } = [];
}

[GrainType("mailbox-page")]
public sealed class MailboxPageGrain(
    [PersistentState("mailbox-page", Storage.Name)] IPersistentState<MailboxPageState> state) : Grain, IMailboxPageGrain
{
    public async Task KeepAsync(ImmutableArray<Notification> notifications)
    {
        state.State.Notifications = notifications;
        await state.WriteStateAsync();
        DeactivateOnIdle(); // written once, read rarely
    }

    public Task<ImmutableArray<Notification>> GetAsync() => Task.FromResult(state.State.Notifications);
}
