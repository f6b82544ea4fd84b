using Microsoft.Extensions.Options;

namespace Marketplace.Tests.Security;

/// <summary>A mode whose settings are missing stops the host at start, naming the setting, rather than letting everyone (or no one) in.</summary>
public sealed class AuthConfigurationTests
{
    [Theory]
    [InlineData("Marketplace:Auth:Entra:TenantId is required", "Marketplace:Profile", "azure", "Marketplace:Auth:Entra:Audience", "api://x")]
    [InlineData("Marketplace:Auth:Entra:Audience is required", "Marketplace:Auth:Mode", "entra", "Marketplace:Auth:Entra:TenantId", "t")]
    [InlineData("apikey mode needs at least one key", "Marketplace:Auth:Mode", "apikey", "Marketplace:SeedDemoData", "false")]
    [InlineData("must be at least 16 characters", "Marketplace:Auth:Mode", "apikey", "Marketplace:Auth:ApiKeys:short", "admin")]
    [InlineData("it must be 'admin' or 'customer:{customerId}'", "Marketplace:Auth:Mode", "apikey", "Marketplace:Auth:ApiKeys:long-enough-key-0123456789", "superuser")]
    [InlineData("it must be 'admin' or 'customer:{customerId}'", "Marketplace:Auth:Mode", "apikey", "Marketplace:Auth:ApiKeys:long-enough-key-0123456789", "customer:not a valid id")]
    public async Task The_host_refuses_to_start(string reason, string key1, string value1, string key2, string value2)
    {
        await using var host = new ConfiguredHost(new Dictionary<string, string>
        {
            ["Marketplace:Clustering"] = "localhost",
            ["Marketplace:Storage"] = "memory",
            ["Marketplace:Streams"] = "memory",
            [key1] = value1,
            [key2] = value2,
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException many ? many.Flatten().InnerExceptions.Single() : error);
        Assert.Contains(validation.Failures, f => f.Contains(reason, StringComparison.Ordinal));
    }

    /// <summary>Profiles, roles, providers and modes are names from a fixed set; any other stops the host, and the error names the key.</summary>
    [Theory]
    [InlineData("Marketplace:Profile", "production")]
    [InlineData("Marketplace:Role", "worker")]
    [InlineData("Marketplace:Streams", "kafka")]
    [InlineData("Marketplace:Auth:Mode", "basic")]
    public async Task A_name_outside_its_set_stops_the_host_naming_the_key(string key, string value)
    {
        await using var host = new ConfiguredHost(new Dictionary<string, string>
        {
            ["Marketplace:Clustering"] = "localhost",
            ["Marketplace:Storage"] = "memory",
            ["Marketplace:Streams"] = "memory",
            [key] = value,
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains($"'{value}' at '{key}'", messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException many)
            {
                foreach (var inner in many.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private sealed class ConfiguredHost(IReadOnlyDictionary<string, string> settings) : HostFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => settings;
    }
}
