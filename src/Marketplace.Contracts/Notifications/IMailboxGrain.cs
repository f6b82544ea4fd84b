using System.Collections.Immutable;

namespace Marketplace.Contracts.Notifications;

public static class NotificationKinds
{
    public const string OrderReceived = "order-received";
    public const string OrderShipped = "order-shipped";
    public const string OrderCancelled = "order-cancelled";
}

[GenerateSerializer, Immutable, Alias("marketplace.notification.v1")]
public sealed record Notification(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string To,
    [property: Id(3)] string Subject,
    [property: Id(4)] DateTimeOffset SentAt);

/// <summary>The notifications sent to a customer (key: customer id); one per order and kind.</summary>
public interface IMailboxGrain : IGrainWithStringKey
{
    Task<Notification> SendAsync(string orderId, string kind, string subject);

    [ReadOnly]
    Task<ImmutableArray<Notification>> GetAsync();
}
