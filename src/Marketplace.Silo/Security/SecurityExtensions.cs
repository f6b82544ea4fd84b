using System.Security.Claims;
using Marketplace.Silo.Hosting;
using Microsoft.AspNetCore.Authentication;
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
        var auth = AuthOptions.From(builder.Configuration);
        var mode = auth.EffectiveMode(profile);
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(mode));

        switch (mode)
        {
            case AuthMode.None:
                builder.Services.AddAuthentication();
                break;
            case AuthMode.ApiKey:
                builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
                break;
            case AuthMode.Entra:
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
                {
                    var entra = auth.Entra;
                    jwt.Authority = entra.Authority;
                    jwt.Audience = entra.Audience;
                    jwt.MapInboundClaims = false; // keep Entra's claim names: "roles", "oid"
                    jwt.TokenValidationParameters.RoleClaimType = "roles";
                    jwt.TokenValidationParameters.NameClaimType = "oid";
                    jwt.Events = new JwtBearerEvents { OnTokenValidated = context => AsCustomer(context.Principal) };
                });
                break;
        }

        var on = mode != AuthMode.None;
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => Require(policy, on, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin)))
            .AddPolicy(Policies.Caller, policy => Require(policy, on, p => p.RequireAuthenticatedUser()));
        builder.Services.AddOrderRateLimit(builder.Configuration, on);
        // Slow clients (headers trickled in, idle keep-alives) are cut off by Kestrel's limits, set under Kestrel:Limits.
        builder.WebHost.ConfigureKestrel((context, kestrel) => context.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped(services => new Caller(services.GetRequiredService<IHttpContextAccessor>().HttpContext!.User, on));
        return builder;
    }

    /// <summary>The policy's requirements when authentication is on; with none configured every policy lets everyone in.</summary>
    private static void Require(AuthorizationPolicyBuilder policy, bool authenticationOn, Action<AuthorizationPolicyBuilder> requirements)
    {
        if (authenticationOn)
        {
            requirements(policy);
        }
        else
        {
            policy.RequireAssertion(_ => true);
        }
    }

    /// <summary>An Entra caller without the admin app role is the customer whose id is the token's <c>oid</c> (API.md).</summary>
    private static Task AsCustomer(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is ClaimsIdentity identity && !principal.IsInRole(Roles.Admin) && principal.FindFirst("oid")?.Value is { } oid)
        {
            identity.AddClaim(new Claim(identity.RoleClaimType, Roles.Customer));
            identity.AddClaim(new Claim(Roles.CustomerIdClaim, oid));
        }

        return Task.CompletedTask;
    }

    /// <summary>Refuses to start with a mode whose settings are missing, naming the setting.</summary>
    private sealed class AuthOptionsValidator(AuthMode mode) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            List<string> failures = [];
            if (mode == AuthMode.Entra)
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

            if (mode == AuthMode.ApiKey)
            {
                if (options.ApiKeys.Count == 0)
                {
                    failures.Add("apikey mode needs at least one key: Marketplace:Auth:ApiKeys:{key} = admin or customer:{customerId}.");
                }

                foreach (var ((key, value), index) in options.ApiKeys.Select((k, i) => (k, i + 1)))
                {
                    var which = $"#{index}"; // never the secret itself in a message
                    if (key.Length < 16)
                    {
                        failures.Add($"The API key {which} must be at least 16 characters.");
                    }

                    if (!Roles.TryParseKeyValue(value, out _, out _))
                    {
                        failures.Add($"The API key {which} is '{value}'; it must be 'admin' or 'customer:{{customerId}}' (1-64 of A-Z a-z 0-9 - _).");
                    }
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
