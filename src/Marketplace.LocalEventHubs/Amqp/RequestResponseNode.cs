using System.Collections.Concurrent;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>
/// A request/response node (<c>$cbs</c>, <c>$management</c>): requests arrive on the client's sending
/// link, and the response goes back on the link whose target is the request's reply-to, correlated by
/// the request's message id. Every request gets an answer, errors included: a client waits out its
/// timeout for one that never comes.
/// </summary>
internal abstract class RequestResponseNode
{
    private readonly ConcurrentDictionary<string, SendingAmqpLink> replyLinks = new();

    public void Attach(AmqpLink link)
    {
        if (link is ReceivingAmqpLink requests)
        {
            requests.RegisterMessageListener(message => _ = OnRequestAsync(requests, message));
            requests.SetTotalLinkCredit(100, applyNow: true, updateAutoFlow: true);
            return;
        }

        var replies = (SendingAmqpLink)link;
        var address = ((Target)replies.Settings.Target).Address.ToString()!;
        replyLinks[address] = replies;
        replies.SafeAddClosed((_, _) => replyLinks.TryRemove(new KeyValuePair<string, SendingAmqpLink>(address, replies)));
    }

    /// <summary>The response to a request: status 200 and a body, or an error status with its description.</summary>
    protected abstract AmqpMessage Handle(AmqpMessage request);

    protected static AmqpMessage Status(int code, string description)
    {
        var response = AmqpMessage.Create();
        response.ApplicationProperties.Map["status-code"] = code;
        response.ApplicationProperties.Map["status-description"] = description;
        return response;
    }

    private async Task OnRequestAsync(ReceivingAmqpLink requests, AmqpMessage request)
    {
        await Task.Yield();
        using (request)
        {
            requests.AcceptMessage(request, batchable: false);
            AmqpMessage response;
            try
            {
                response = Handle(request);
            }
            catch (Exception exception)
            {
                response = Status(500, exception.Message);
            }

            response.Properties.CorrelationId = request.Properties.MessageId;
            if (request.Properties.ReplyTo?.ToString() is { } replyTo && replyLinks.TryGetValue(replyTo, out var replies))
            {
                response.Settled = true;
                replies.SendMessageNoWait(response, AmqpConstants.EmptyBinary, AmqpConstants.NullBinary);
            }
        }
    }
}

/// <summary>Claims-based security: the development connection string's token is taken as it is.</summary>
internal sealed class CbsNode : RequestResponseNode
{
    protected override AmqpMessage Handle(AmqpMessage request) => Status(200, "OK");
}
