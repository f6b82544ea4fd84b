namespace Marketplace.Tests.Faults;

/// <summary>Every consumer fails 20% of its handling attempts, transiently.</summary>
public sealed class TransientFaultsFixture : ClusterFixture
{
    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Faults:Default:FailureRate"] = "0.2";
        settings["Marketplace:Faults:Default:Kind"] = "Transient";
        settings["Marketplace:Consumers:Retry:MaxRetryAttempts"] = "15"; // 0.2^16: no budget runs out by chance
        settings["Marketplace:Consumers:Retry:BaseDelay"] = "00:00:00.005";
        settings["Marketplace:Consumers:Retry:MaxDelay"] = "00:00:00.050";
        return settings;
    }
}

/// <summary>Loyalty fails every event, permanently; the others are healthy.</summary>
public sealed class PermanentFaultFixture : ClusterFixture
{
    public const string FaultyConsumer = "loyalty";

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings[$"Marketplace:Faults:{FaultyConsumer}:FailureRate"] = "1";
        settings[$"Marketplace:Faults:{FaultyConsumer}:Kind"] = "Permanent";
        return settings;
    }

    public void RemoveFault()
    {
        Configuration[$"Marketplace:Faults:{FaultyConsumer}:FailureRate"] = "0";
        Configuration.Reload();
    }
}

/// <summary>The order journal "crashes" after every write, before publishing.</summary>
public sealed class CrashBeforePublishFixture : ClusterFixture
{
    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Faults:order:CrashBeforePublishRate"] = "1";
        settings["Marketplace:Orders:WakeAfter"] = "00:00:02";
        return settings;
    }
}

/// <summary>The payment gateway charges, then its answer is lost, for the first two requests of every order.</summary>
public sealed class LostGatewayAnswerFixture : ClusterFixture
{
    public const int LostAnswers = 2;

    public override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = await base.SettingsAsync();
        settings["Marketplace:Faults:gateway:LostResponses"] = LostAnswers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Marketplace:Consumers:Retry:BaseDelay"] = "00:00:00.005";
        settings["Marketplace:Consumers:Retry:MaxDelay"] = "00:00:00.050";
        return settings;
    }
}
