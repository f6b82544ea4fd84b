namespace Marketplace.Contracts;

/// <summary>
/// A failure worth retrying: the same call may succeed later. Consumers retry these with backoff;
/// any other exception is treated as permanent.
/// </summary>
[GenerateSerializer, Alias("marketplace.transient-exception")]
public class TransientException(string message) : Exception(message);
