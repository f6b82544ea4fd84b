using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Marketplace.Silo.Security;

/// <summary>
/// The <c>apikey</c> mode: a caller sends its key in <c>X-Api-Key</c> and becomes what the key is
/// configured as: <c>admin</c>, or <c>customer:{customerId}</c>.
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

        // Every key is compared, each in constant time: response timing tells nothing about which matched or how far.
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var (key, value) in auth.Value.ApiKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key)), presentedHash))
            {
                match = value;
            }
        }

        if (match is null || !Roles.TryParseKeyValue(match, out var role, out var customerId))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not known."));
        }

        // The name identifies the key in logs and rate limits without revealing it.
        List<Claim> claims = [new(ClaimTypes.Role, role), new(ClaimTypes.Name, $"key-{Convert.ToHexString(presentedHash, 0, 4)}")];
        if (customerId is not null)
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
}
