namespace Marketplace.Silo.Security;

/// <summary>
/// Who may call the host (section "Marketplace:Auth", API.md "Authentication"). The mode follows the
/// profile unless set: <c>none</c> in <c>embedded</c> and <c>local</c> (one-command demos),
/// <c>entra</c> in <c>azure</c> (nothing anonymous on the internet but health and the catalog).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Marketplace:Auth";

    public AuthMode? Mode { get; set; }

    /// <summary>
    /// The <c>apikey</c> mode's callers: key → <c>admin</c> or <c>customer:{customerId}</c>. Keys are
    /// secrets: give them by environment (<c>Marketplace__Auth__ApiKeys__{key}=admin</c>) or a secret
    /// store, never in a committed appsettings file.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    public EntraOptions Entra { get; set; } = new();

    public AuthMode EffectiveMode(Hosting.Profile profile) =>
        Mode ?? (profile == Hosting.Profile.Azure ? AuthMode.Entra : AuthMode.None);

    public static AuthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
}

/// <summary>Named in configuration case-insensitively: <c>none</c>, <c>apikey</c>, <c>entra</c>.</summary>
public enum AuthMode
{
    None,
    ApiKey,
    Entra,
}

/// <summary>JWT bearer tokens issued by Microsoft Entra ID for the API's app registration.</summary>
public sealed class EntraOptions
{
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    public string? TenantId { get; set; }

    /// <summary>The API's application (client) id: the <c>aud</c> of its v2 tokens.</summary>
    public string? Audience { get; set; }

    public string Authority => $"{Instance.TrimEnd('/')}/{TenantId}/v2.0";
}
