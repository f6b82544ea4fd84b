using System.Net;
using System.Text.Json;

namespace Marketplace.Tests.Api;

/// <summary>The host with the email consumer failing permanently, so dead letters appear.</summary>
public class FailingEmailHostFixture : HostFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Marketplace:Faults:email:FailureRate"] = "1",
        ["Marketplace:Faults:email:Kind"] = "Permanent",
    };
}

/// <summary>The same host as the deployment's API tier: the faults are the silo process's.</summary>
public sealed class FailingEmailApiTierHostFixture : FailingEmailHostFixture
{
    protected override bool OnTheApiTier => true;
}

public sealed class AdminApiTests(FailingEmailHostFixture host) : AdminApiTests<FailingEmailHostFixture>(host), IClassFixture<FailingEmailHostFixture>;

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
public sealed class AdminApiTestsOnTheApiRole(FailingEmailApiTierHostFixture host) : AdminApiTests<FailingEmailApiTierHostFixture>(host), IClassFixture<FailingEmailApiTierHostFixture>;

public abstract class AdminApiTests<THost>(THost host)
    where THost : HostFixture
{
    private static readonly string[] DeadLetterFields = ["attempts", "consumer", "error", "eventId", "failedAt", "id", "orderId", "type"];

    [Fact]
    public async Task Dead_letters_are_listed_with_the_fields_of_the_contract_and_replay_answers_409_while_failing_and_404_when_unknown()
    {
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 2m, 5);
        var orderId = await host.PlaceOrderAsync(Shop.NewId("cust"), sku);

        var letters = await Eventually.Get(async () =>
        {
            var list = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/api/admin/dead-letters", UriKind.Relative))).RootElement;
            var ours = list.EnumerateArray().Where(l => l.GetProperty("orderId").GetString() == orderId).ToList();
            return ours.Count == 2 ? ours : null; // OrderPlaced and OrderFulfilled, both for email
        }, "email's two dead letters");

        foreach (var letter in letters)
        {
            Assert.Equal(DeadLetterFields, letter.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("email", letter.GetProperty("consumer").GetString());
        }

        // The checkout's mail failed; the shipped mail waits behind it rather than going out first.
        var received = letters.Single(l => l.GetProperty("type").GetString() == "OrderPlaced");
        var shipped = letters.Single(l => l.GetProperty("type").GetString() == "OrderFulfilled");
        Assert.Contains("Injected permanent fault", received.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("Waits for OrderPlaced #1", shipped.GetProperty("error").GetString(), StringComparison.Ordinal);

        Assert.Equal(["OrderFulfilled", "OrderPlaced"], letters.Select(l => l.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(OrderStatus.Fulfilled, (await host.GetAsync<OrderSnapshot>($"/api/orders/{orderId}")).Status); // the others carried on

        var replay = await host.Http.PostAsync(new Uri($"/api/admin/dead-letters/{letters[0].GetProperty("id").GetString()}/replay", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);

        var unknown = await host.Http.PostAsync(new Uri("/api/admin/dead-letters/no-such-letter/replay", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
