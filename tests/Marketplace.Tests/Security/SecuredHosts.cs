using System.Security.Cryptography;
using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Tests.Security;

/// <summary>
/// The real host in the <c>azure</c> profile's auth (Entra ID bearer tokens, the profile's default
/// mode) with the embedded providers. The only stand-in is Entra's metadata document: the test
/// gives the issuer and a signing key of its own, so tokens are minted here with no network.
/// </summary>
public class EntraHostFixture : HostFixture, ISecuredHost
{
    public const string Audience = "api://marketplace-tests";
    private static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(32));

    private const string TenantId = "11111111-2222-3333-4444-555555555555";

    /// <summary>The issuer Entra ID puts in v2.0 tokens for the tenant: the authority the host derives.</summary>
    public static string Issuer { get; } = new EntraOptions { TenantId = TenantId }.Authority;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Marketplace:Profile"] = "azure",
        ["Marketplace:Clustering"] = "localhost",
        ["Marketplace:Storage"] = "memory",
        ["Marketplace:Streams"] = "memory",
        ["Marketplace:Auth:Entra:TenantId"] = TenantId,
        ["Marketplace:Auth:Entra:Audience"] = Audience,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(Environments.Production); // as on Azure
        builder.ConfigureServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            var metadata = new OpenIdConnectConfiguration { Issuer = Issuer };
            metadata.SigningKeys.Add(SigningKey);
            jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
        }));
    }

    /// <summary>A customer is the token's <c>oid</c> (API.md).</summary>
    public string CustomerId => "7f3c2a10-0000-4000-8000-00000000c001";

    public string OtherCustomerId => "7f3c2a10-0000-4000-8000-00000000c002";

    public void Authenticate(HttpRequestMessage request, Who who)
    {
        if (who != Who.Anonymous)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", who switch
            {
                Who.Admin => Token(Roles.Admin),
                Who.Customer => Token(null, oid: CustomerId),
                _ => Token(null, oid: OtherCustomerId),
            });
        }
    }

    /// <summary>A token as Entra would issue it: with these app roles, for this object id.</summary>
    public static string Token(string? role, string? audience = Audience, string? issuer = null, DateTime? expires = null, string oid = "7f3c2a10-0000-4000-8000-0000000000ad") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = role is null ? new Dictionary<string, object> { ["oid"] = oid } : new Dictionary<string, object> { ["roles"] = new[] { role }, ["oid"] = oid },
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
}

/// <summary>The Entra host as the deployment's API tier: tokens checked by the API process, grains in a silo process.</summary>
public sealed class EntraApiTierHostFixture : EntraHostFixture
{
    protected override bool OnTheApiTier => true;
}

/// <summary>The real host in <c>apikey</c> mode: one admin key and a key for each of two customers.</summary>
public class ApiKeyHostFixture : HostFixture, ISecuredHost
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string CustomerKey = "customer-key-0123456789abcdef";
    public const string OtherCustomerKey = "other-customer-key-0123456789";

    public string CustomerId => "cust-with-key";

    public string OtherCustomerId => "other-cust-with-key";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(ExtraSettings)
    {
        ["Marketplace:Auth:Mode"] = "apikey",
        [$"Marketplace:Auth:ApiKeys:{AdminKey}"] = Roles.Admin,
        [$"Marketplace:Auth:ApiKeys:{CustomerKey}"] = $"customer:{CustomerId}",
        [$"Marketplace:Auth:ApiKeys:{OtherCustomerKey}"] = $"customer:{OtherCustomerId}",
    };

    /// <summary>More settings for a variant of this host.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    public void Authenticate(HttpRequestMessage request, Who who)
    {
        if (who != Who.Anonymous)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, who switch
            {
                Who.Admin => AdminKey,
                Who.Customer => CustomerKey,
                _ => OtherCustomerKey,
            });
        }
    }
}

/// <summary>The apikey host with a tight order limit: three per minute per caller.</summary>
public sealed class RateLimitedHostFixture : ApiKeyHostFixture
{
    public const int Limit = 3;

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Marketplace:RateLimits:Orders:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Marketplace:RateLimits:Orders:Window"] = "00:01:00",
    };
}

public enum Who
{
    Anonymous,
    Admin,
    Customer,
    OtherCustomer,
}

/// <summary>A host with authentication on: who the test is, on a request.</summary>
public interface ISecuredHost
{
    HttpClient Http { get; }

    string CustomerId { get; }

    string OtherCustomerId { get; }

    void Authenticate(HttpRequestMessage request, Who who);
}

public static class SecuredHostRequests
{
    /// <summary>A request to the host as <paramref name="who"/>, with a JSON body and an Idempotency-Key when given.</summary>
    public static async Task<HttpResponseMessage> SendAsync(this ISecuredHost host, HttpMethod method, string path, Who who, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        host.Authenticate(request, who);
        return await host.Http.SendAsync(request);
    }
}
