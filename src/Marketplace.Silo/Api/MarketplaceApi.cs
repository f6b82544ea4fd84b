using System.Text.Json;
using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;

namespace Marketplace.Silo.Api;

/// <summary>The HTTP API of API.md: JSON shape, error shape, and the resource groups.</summary>
public static class MarketplaceApi
{
    public const int MaxRequestBodyBytes = 64 * 1024;

    public static IServiceCollection AddMarketplaceApi(this IServiceCollection services)
    {
        // The contract's numbers are JSON numbers: ASP.NET's web defaults would also take "2" for 2.
        services.Configure<JsonOptions>(o => MarketplaceJson.Apply(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<ClusterUnavailableHandler>();
        services.AddMarketplaceOpenApi();
        // Unreadable bodies (bad JSON, wrong types, too large) reach the handler above as exceptions.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// The API's middleware, in order: errors as problems (exceptions and bare status codes), then
    /// the caller, then the rate limit (per caller). Before any endpoint is mapped.
    /// </summary>
    public static WebApplication UseMarketplaceApiPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // After the two above, so a 401 or 403 is a problem like every other error.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapMarketplaceApi(this WebApplication app)
    {
        // No request of this API comes near the limit (a 50-line order is a few KiB); a larger body is a 413.
        // Every route needs a caller unless it says otherwise (catalog reads); see Security/.
        var api = app.MapGroup("/api")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxRequestBodyBytes))
            .RequireAuthorization(Policies.Caller);
        api.MapProductsApi();
        api.MapOrdersApi();
        api.MapCustomersApi();
        api.MapDownstreamApi();
        api.MapAdminApi();

        app.MapOpenApi(); // /openapi/v1.json
        if (!app.Environment.IsProduction())
        {
            app.MapScalarApiReference(); // /scalar: the API reference, outside production
        }

        return app;
    }

    /// <summary>Turns a request ASP.NET Core could not read into a problem with the reason.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            context.Response.StatusCode = bad.StatusCode;
            // A value of the wrong type names its field, as a validation error would.
            var problem = bad.InnerException is JsonException { Path: ['$', '.', .. var field] }
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = ["Not a value of this field's type (API.md)."] })
                : new Microsoft.AspNetCore.Mvc.ProblemDetails();
            problem.Status = bad.StatusCode;
            problem.Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.";
            problem.Detail = bad.InnerException?.Message ?? bad.Message;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
        }
    }
}
