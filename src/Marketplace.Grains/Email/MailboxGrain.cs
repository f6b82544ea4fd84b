namespace Marketplace.Grains.Email;

[GenerateSerializer, Alias("marketplace.mailbox-state.v1")]
public sealed class MailboxState
{
    [Id(0)] public List<Notification> Sent { get; set; } = [];
}

/// <summary>Stands in for the mail provider: what would have been sent, once per order and kind.</summary>
[GrainType("mailbox")]
public sealed class MailboxGrain(
    [PersistentState("mailbox", Storage.Name)] IPersistentState<MailboxState> state,
    TimeProvider clock) : Grain, IMailboxGrain
{
    public async Task<Notification> SendAsync(string orderId, string kind, string subject)
    {
        if (state.State.Sent.Find(n => n.OrderId == orderId && n.Kind == kind) is { } sent)
        {
            return sent;
        }

        var notification = new Notification(orderId, kind, AddressOf(this.GetPrimaryKeyString()), subject, clock.GetUtcNow());
        state.State.Sent.Add(notification);
        await state.WriteStateAsync();
        return notification;
    }

    public Task<ImmutableArray<Notification>> GetAsync() => Task.FromResult(state.State.Sent.ToImmutableArray());

    private static string AddressOf(string customerId) => $"{customerId}@customers.marketplace.example";
}
