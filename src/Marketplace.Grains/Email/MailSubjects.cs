namespace Marketplace.Grains.Email;

/// <summary>What the customer reads, whichever path sent it.</summary>
public static class MailSubjects
{
    public static string Received(string orderId) => $"We received your order {orderId}";

    public static string Shipped(string orderId, string trackingNumber) => $"Your order {orderId} is on its way ({trackingNumber})";

    public static string Cancelled(string orderId, string reason) => $"Your order {orderId} was cancelled ({reason})";
}
