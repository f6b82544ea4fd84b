using System.Globalization;
using System.Text.RegularExpressions;
using Marketplace.LocalEventHubs.Storage;

namespace Marketplace.LocalEventHubs.Amqp;

/// <summary>
/// Where a reader starts, from the selector filter the client sends
/// (<c>amqp.annotation.x-opt-offset > -1</c>, <c>... >= 42</c>, <c>x-opt-sequence-number</c>,
/// <c>x-opt-enqueued-time</c> in Unix ms, <c>> @latest</c>). No filter starts at the end, as the service does.
/// </summary>
internal static partial class StartPosition
{
    public const string FilterName = "apache.org:selector-filter:string";

    /// <summary>The index of the first event the reader gets; the log's count means "what comes next".</summary>
    public static long Resolve(string? filter, PartitionLog log)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return log.Count;
        }

        var match = Expression().Match(filter);
        if (!match.Success)
        {
            throw new FormatException($"The start position filter '{filter}' is not one this endpoint reads.");
        }

        var field = match.Groups["field"].Value;
        var inclusive = match.Groups["op"].Value == ">=";
        var value = match.Groups["value"].Value.Trim('\'', '"');
        if (value == "@latest")
        {
            return log.Count;
        }

        var number = long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return field switch
        {
            "x-opt-offset" when number < 0 => 0,
            "x-opt-offset" => log.FindFirst(e => inclusive ? e.Offset >= number : e.Offset > number),
            "x-opt-sequence-number" => Math.Clamp(inclusive ? number : number + 1, 0, log.Count),
            "x-opt-enqueued-time" => log.FindFirst(e => e.EnqueuedTime > DateTime.UnixEpoch.AddMilliseconds(number)),
            _ => throw new FormatException($"The start position field '{field}' is not one of x-opt-offset, x-opt-sequence-number, x-opt-enqueued-time."),
        };
    }

    [GeneratedRegex(@"^\s*amqp\.annotation\.(?<field>x-opt-[a-z-]+)\s*(?<op>>=|>)\s*(?<value>\S+)\s*$")]
    private static partial Regex Expression();
}
