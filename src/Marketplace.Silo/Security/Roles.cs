namespace Marketplace.Silo.Security;

/// <summary>The two roles of the API: app roles in Entra ID, the value of a key in <c>apikey</c> mode.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Customer = "customer";

    /// <summary>The claim carrying the customer id a caller acts as: set from the key, or from the token's <c>oid</c>.</summary>
    public const string CustomerIdClaim = "customer_id";

    /// <summary>A key's value: <c>admin</c>, or <c>customer:{customerId}</c> with a valid customer id.</summary>
    public static bool TryParseKeyValue(string value, out string role, out string? customerId)
    {
        (role, customerId) = value.Split(':', 2) switch
        {
            [Admin] => (Admin, null),
            [Customer, var id] when Api.Rules.IsId(id) => (Customer, id),
            _ => ("", null),
        };
        return role.Length > 0;
    }
}

/// <summary>Authorization policies the endpoints ask for; in <c>none</c> mode every policy lets everyone in.</summary>
public static class Policies
{
    /// <summary>Catalog writes, restock, reports, dead letters, the dashboard.</summary>
    public const string Admin = "admin";

    /// <summary>Any authenticated caller; what it may see is narrowed to its own customer id by <see cref="Caller"/>.</summary>
    public const string Caller = "caller";
}
