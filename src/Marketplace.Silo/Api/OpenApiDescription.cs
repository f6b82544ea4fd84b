using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Marketplace.Silo.Api;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi): the routes with the
/// responses their handlers declare, plus what the pipeline adds around them: the security schemes
/// (API key and Entra bearer), and 401/403 on routes that need a caller, 429 where orders are limited.
/// </summary>
public static class OpenApiDescription
{
    private const string ApiKeyScheme = "ApiKey";
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddMarketplaceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            // The API only: the Orleans Dashboard's internal routes (which show any grain's state) are not ours to describe.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Marketplace API";
                document.Info.Description = "Checkout publishes one event; payment, inventory, shipping, loyalty, reporting and email react to it. Errors are RFC 9457 problems.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.Header,
                    Description = "Marketplace:Auth:Mode = apikey: a key configured as admin or customer:{customerId}.",
                };
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "Marketplace:Auth:Mode = entra: a Microsoft Entra ID access token for the API; app role admin, or a customer by its oid.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Responses ??= new OpenApiResponses();
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No credentials (authentication on); WWW-Authenticate says how." });
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The wrong role, or another customer's data." });
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                }

                if (metadata.OfType<EnableRateLimitingAttribute>().Any())
                {
                    operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many orders from this caller; Retry-After says when to try again. Nothing was placed." });
                }

                return Task.CompletedTask;
            });
        });
}
