using Marketplace.Silo.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Marketplace.Silo.Security;

/// <summary>Authentication by mode (<see cref="AuthOptions"/>) and the policies endpoints ask for.</summary>
public static class SecurityExtensions
{
    public static WebApplicationBuilder AddMarketplaceSecurity(this WebApplicationBuilder builder)
    {
        var profile = MarketplaceOptions.From(builder.Configuration).Profile;
        var mode = AuthOptions.From(builder.Configuration).EffectiveMode(profile);
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(mode));

        switch (mode)
        {
            case AuthModes.None:
                builder.Services.AddAuthentication();
                break;
            case AuthModes.ApiKey:
                builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
                break;
            case AuthModes.Entra:
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
                {
                    var entra = AuthOptions.From(builder.Configuration).Entra;
                    jwt.Authority = entra.Authority;
                    jwt.Audience = entra.Audience;
                    jwt.MapInboundClaims = false; // keep Entra's claim names: "roles", "oid"
                    jwt.TokenValidationParameters.RoleClaimType = "roles";
                    jwt.TokenValidationParameters.NameClaimType = "name";
                });
                break;
            default:
                throw new NotSupportedException($"Marketplace:Auth:Mode = '{mode}' is not a mode. Available: none, apikey, entra.");
        }

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy =>
            {
                if (mode == AuthModes.None)
                {
                    policy.RequireAssertion(_ => true); // no authentication configured: everyone is in
                }
                else
                {
                    policy.RequireAuthenticatedUser().RequireRole(Roles.Admin);
                }
            });
        return builder;
    }

    /// <summary>Refuses to start with a mode whose settings are missing, naming the setting.</summary>
    private sealed class AuthOptionsValidator(string mode) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            List<string> failures = [];
            if (mode == AuthModes.Entra)
            {
                if (string.IsNullOrWhiteSpace(options.Entra.TenantId))
                {
                    failures.Add("Marketplace:Auth:Entra:TenantId is required in entra mode.");
                }

                if (string.IsNullOrWhiteSpace(options.Entra.Audience))
                {
                    failures.Add("Marketplace:Auth:Entra:Audience is required in entra mode.");
                }
            }

            if (mode == AuthModes.ApiKey)
            {
                if (options.ApiKeys.Count == 0)
                {
                    failures.Add("apikey mode needs at least one key: Marketplace:Auth:ApiKeys:0:Key and :Role.");
                }

                foreach (var (key, index) in options.ApiKeys.Select((k, i) => (k, i)))
                {
                    if (key.Key.Length < 16)
                    {
                        failures.Add($"Marketplace:Auth:ApiKeys:{index}:Key must be at least 16 characters.");
                    }

                    if (key.Role is not (Roles.Admin or Roles.Customer))
                    {
                        failures.Add($"Marketplace:Auth:ApiKeys:{index}:Role must be '{Roles.Admin}' or '{Roles.Customer}'.");
                    }

                    if (key.Role == Roles.Customer && string.IsNullOrWhiteSpace(key.CustomerId))
                    {
                        failures.Add($"Marketplace:Auth:ApiKeys:{index}:CustomerId is required for a customer key.");
                    }
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
