using System.Security.Cryptography;
using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
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
public sealed class EntraHostFixture : HostFixture
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
        builder.ConfigureServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            var metadata = new OpenIdConnectConfiguration { Issuer = Issuer };
            metadata.SigningKeys.Add(SigningKey);
            jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
        }));
    }

    /// <summary>A token as Entra would issue it to a caller with these app roles.</summary>
    public static string Token(string? role, string? audience = Audience, string? issuer = null, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = role is null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["roles"] = new[] { role } },
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
}

/// <summary>The real host in <c>apikey</c> mode with one admin key and one customer key.</summary>
public sealed class ApiKeyHostFixture : HostFixture
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string CustomerKey = "customer-key-0123456789abcdef";
    public const string CustomerId = "cust-with-key";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Marketplace:Auth:Mode"] = "apikey",
        ["Marketplace:Auth:ApiKeys:0:Key"] = AdminKey,
        ["Marketplace:Auth:ApiKeys:0:Role"] = Roles.Admin,
        ["Marketplace:Auth:ApiKeys:1:Key"] = CustomerKey,
        ["Marketplace:Auth:ApiKeys:1:Role"] = Roles.Customer,
        ["Marketplace:Auth:ApiKeys:1:CustomerId"] = CustomerId,
    };
}
