using Marketplace.Grains.Consumers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Silo.Api;

/// <summary>
/// A call the cluster could not answer for a moment (a silo lost under it, a message rejected, a
/// call timed out, storage unreachable) is a 503 with <c>Retry-After</c>, not a 500: the client's
/// retry, with the same <c>Idempotency-Key</c> for a checkout, is what fixes it. "Transient" is the
/// consumers' rule (<see cref="Failures.IsTransient"/>), one rule for the product.
/// </summary>
public sealed partial class ClusterUnavailableHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>About how long a silo's loss takes to be noticed and its grains to move.</summary>
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!Failures.IsTransient(exception))
        {
            return false;
        }

        LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service could not answer for a moment; retry.",
                Detail = "The cluster is changing (a server left or is starting). Retrying is safe; a checkout retried with the same Idempotency-Key places one order.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the cluster could not answer ({Error}: {Message}); 503")]
    private partial void LogUnavailable(string method, string path, string error, string message);
}
