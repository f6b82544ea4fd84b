namespace Marketplace.Tests.Infrastructure;

/// <summary>The embedded host as the deployment's API tier: an Orleans client in front of a silo process.</summary>
public sealed class ApiRoleHostFixture : HostFixture
{
    protected override bool OnTheApiTier => true;
}

/// <summary>
/// One API tier shared by the suites that only touch what they create (their own skus, customers
/// and orders): one silo process for all of them. They run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ApiTier : ICollectionFixture<ApiRoleHostFixture>
{
    public const string Name = "API tier";
}
