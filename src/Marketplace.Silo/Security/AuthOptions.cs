namespace Marketplace.Silo.Security;

/// <summary>
/// Who may call the host (section "Marketplace:Auth"). The mode follows the profile unless set:
/// <c>none</c> in <c>embedded</c> and <c>local</c> (one-command demos), <c>entra</c> in <c>azure</c>
/// (nothing anonymous on the internet but health).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Marketplace:Auth";

    public string? Mode { get; set; }

    /// <summary>
    /// The keys of the <c>apikey</c> mode. Secrets: give them by environment or a secret store
    /// (<c>Marketplace__Auth__ApiKeys__0__Key</c>), never in a committed appsettings file.
    /// </summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    public EntraOptions Entra { get; set; } = new();

    public string EffectiveMode(string profile) =>
        Mode?.ToLowerInvariant() ?? (string.Equals(profile, Hosting.MarketplaceOptions.Azure, StringComparison.OrdinalIgnoreCase) ? AuthModes.Entra : AuthModes.None);

    public static AuthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
}

public static class AuthModes
{
    public const string None = "none";
    public const string ApiKey = "apikey";
    public const string Entra = "entra";
}

/// <summary>One caller of the <c>apikey</c> mode: its key, its role, and for a customer, whose orders it acts on.</summary>
public sealed class ApiKeyOptions
{
    public string Key { get; set; } = "";

    /// <summary><c>admin</c> or <c>customer</c>.</summary>
    public string Role { get; set; } = "";

    public string? CustomerId { get; set; }
}

/// <summary>JWT bearer tokens issued by Microsoft Entra ID for the API's app registration.</summary>
public sealed class EntraOptions
{
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    public string? TenantId { get; set; }

    /// <summary>The API's application id URI or client id: the <c>aud</c> its tokens carry.</summary>
    public string? Audience { get; set; }

    public string Authority => $"{Instance.TrimEnd('/')}/{TenantId}/v2.0";
}
