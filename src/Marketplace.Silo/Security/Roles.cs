namespace Marketplace.Silo.Security;

/// <summary>The two roles of the API: as app roles in Entra ID, as the role of a key in <c>apikey</c> mode.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Customer = "customer";

    /// <summary>The claim carrying the customer id a caller acts for.</summary>
    public const string CustomerIdClaim = "customer_id";
}

/// <summary>Authorization policies endpoints ask for; in <c>none</c> mode every policy lets everyone in.</summary>
public static class Policies
{
    public const string Admin = "admin";
}
