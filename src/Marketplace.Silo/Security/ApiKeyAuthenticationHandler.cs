using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Marketplace.Silo.Security;

/// <summary>
/// The <c>apikey</c> mode: a caller sends its key in <c>X-Api-Key</c> and becomes the role (and
/// customer) configured for that key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.ToString() is not { Length: > 0 } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var caller = auth.Value.ApiKeys.FirstOrDefault(k => SameKey(k.Key, presented));
        if (caller is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not known."));
        }

        List<Claim> claims = [new(ClaimTypes.Role, caller.Role)];
        if (caller.CustomerId is { Length: > 0 } customerId)
        {
            claims.Add(new Claim(Roles.CustomerIdClaim, customerId));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        return base.HandleChallengeAsync(properties);
    }

    /// <summary>Compares hashes in constant time, so response timing tells nothing about a key's prefix.</summary>
    private static bool SameKey(string configured, string presented) =>
        configured.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
