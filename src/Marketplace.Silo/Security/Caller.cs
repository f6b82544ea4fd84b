using System.Security.Claims;

namespace Marketplace.Silo.Security;

/// <summary>Who is calling, as far as ownership goes: an admin may act for anyone, a customer for itself.</summary>
public sealed class Caller(ClaimsPrincipal user, bool authenticationOn)
{
    public bool IsAdmin => !authenticationOn || user.IsInRole(Roles.Admin);

    public string? CustomerId => user.FindFirst(Roles.CustomerIdClaim)?.Value;

    public bool MayActFor(string customerId) => IsAdmin || string.Equals(CustomerId, customerId, StringComparison.Ordinal);

    /// <summary>The rate-limiting partition: the customer, the key's admin, or the address in <c>none</c> mode.</summary>
    public string PartitionKey(HttpContext http) =>
        CustomerId is { } customer ? $"customer:{customer}"
        : user.Identity?.IsAuthenticated == true ? $"admin:{user.Identity.Name ?? user.FindFirst("oid")?.Value ?? "key"}"
        : $"ip:{http.Connection.RemoteIpAddress}";
}
