namespace Marketplace.Grains;

/// <summary>
/// A grain's state is larger than its storage provider can store: no retry can write it, so the
/// failure is permanent (an <see cref="OrleansException"/>, so the runtime passes it on as it is).
/// </summary>
[GenerateSerializer, Alias("marketplace.grain-state-too-large")]
public sealed class GrainStateTooLargeException : OrleansException
{
    public GrainStateTooLargeException(GrainId grain, string provider, string size, Exception inner)
        : base($"The state of grain {grain} is {size}, more than {provider} stores; it cannot be written.", inner)
    {
    }

    public GrainStateTooLargeException(string message)
        : base(message)
    {
    }
}
