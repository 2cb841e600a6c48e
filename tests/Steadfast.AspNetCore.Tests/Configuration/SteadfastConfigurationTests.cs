using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Steadfast.AspNetCore.Tests.Configuration;

/// <summary>The options tree from the Steadfast section: validation naming the key, presets, HTTP client options.</summary>
public sealed class SteadfastConfigurationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<SteadfastBuilder>? steadfast = null, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var builder = services.AddSteadfast(configuration.GetSection("Steadfast"));
        steadfast?.Invoke(builder);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task ValidateOnStart_InvalidEngineValue_MessageNamesTheConfigurationKey()
    {
        await using var provider = Build(new() { ["Steadfast:Engine:MaxAttempts"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ResilienceOptions.MaxAttempts must be between 1 and 100; was 0.", error.Message, StringComparison.Ordinal);
        Assert.Contains("configuration key 'Steadfast:Engine:MaxAttempts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateOnStart_ValidValues_Passes()
    {
        await using var provider = Build(new() { ["Steadfast:Engine:MaxAttempts"] = "3", ["Steadfast:Http:billing:Engine:MaxAttempts"] = "2" },
            more: s => s.AddHttpClient("billing").AddSteadfastResilienceHandler());

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(3, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxAttempts);
        Assert.Equal(2, provider.GetRequiredService<IOptionsMonitor<SteadfastHttpClientOptions>>().Get("billing").Engine.MaxAttempts);
    }

    [Fact]
    public async Task ValidateOnStart_InvalidNestedValue_MessageNamesTheNestedKey()
    {
        await using var provider = Build(new() { ["Steadfast:Executors:payments:Retry:MaxAttempts"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("configuration key 'Steadfast:Executors:payments:Retry:MaxAttempts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateOnStart_InvalidHttpClientValue_MessageNamesTheClientAndKey()
    {
        await using var provider = Build(new() { ["Steadfast:Http:billing:Engine:StrategyTimeout"] = "00:00:00" },
            more: s => s.AddHttpClient("billing").AddSteadfastResilienceHandler());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("SteadfastHttpClientOptions 'billing': ResilienceOptions.StrategyTimeout must be between", error.Message, StringComparison.Ordinal);
        Assert.Contains("configuration key 'Steadfast:Http:billing:Engine:StrategyTimeout'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateOnStart_InvalidValueFromCode_NoConfigurationKeyClaimed()
    {
        var services = new ServiceCollection();
        services.AddSteadfast();
        services.Configure<ResilienceOptions>(o => o.MaxAttempts = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.DoesNotContain("configuration key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePreset_Production_SetsItsValues()
    {
        await using var provider = Build([], b => b.UsePreset(SteadfastPreset.Production));

        var engine = provider.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        Assert.Equal(3, engine.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), engine.StrategyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), engine.MaxTotalTime);
        Assert.False(engine.EnableProgressTracking);
        Assert.Equal(TimeSpan.FromMinutes(30), provider.GetRequiredService<IOptions<FailureAnalyzerOptions>>().Value.BlacklistDuration);
    }

    [Fact]
    public async Task UsePreset_Development_SetsItsValues()
    {
        await using var provider = Build([], b => b.UsePreset(SteadfastPreset.Development));

        var engine = provider.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        Assert.Equal(2, engine.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(5), engine.StrategyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), provider.GetRequiredService<IOptions<FailureAnalyzerOptions>>().Value.BlacklistProbeInterval);
    }

    [Fact]
    public async Task UsePreset_AfterConfigurationAndCode_ConfigurationAndCodeStillWin()
    {
        await using var provider = Build(
            new() { ["Steadfast:Engine:MaxAttempts"] = "7" },
            b => b.UsePreset(SteadfastPreset.Production),
            s => s.Configure<ResilienceOptions>(o => o.StrategyTimeout = TimeSpan.FromSeconds(42)));

        var engine = provider.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        Assert.Equal(7, engine.MaxAttempts);                                // configuration over the preset
        Assert.Equal(TimeSpan.FromSeconds(42), engine.StrategyTimeout);     // code over the preset
        Assert.Equal(TimeSpan.FromSeconds(60), engine.MaxTotalTime);        // the preset where nothing else says
    }

    [Fact]
    public void UsePreset_UndefinedValue_Rejected()
    {
        var builder = new ServiceCollection().AddSteadfast();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.UsePreset((SteadfastPreset)42));
    }

    [Fact]
    public async Task HttpClientOptions_LambdaAfterConfiguration_LambdaWins()
    {
        await using var provider = Build(
            new() { ["Steadfast:Http:billing:Engine:MaxAttempts"] = "2", ["Steadfast:Http:billing:OperationName"] = "billing-api" },
            more: s => s.AddHttpClient("billing").AddSteadfastResilienceHandler(o => o.Engine.MaxAttempts = 5));

        var options = provider.GetRequiredService<IOptionsMonitor<SteadfastHttpClientOptions>>().Get("billing");

        Assert.Equal(5, options.Engine.MaxAttempts);
        Assert.Equal("billing-api", options.OperationName);
        Assert.True(options.Enabled);
    }

    [Fact]
    public async Task HttpClientOptions_NotConfigured_HttpDefaults()
    {
        await using var provider = Build([], more: s => s.AddHttpClient("billing").AddSteadfastResilienceHandler());

        var options = provider.GetRequiredService<IOptionsMonitor<SteadfastHttpClientOptions>>().Get("billing");

        Assert.Equal(3, options.Engine.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Engine.StrategyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Engine.MaxTotalTime);
        Assert.Null(options.ShouldHandle);
    }

    [Fact]
    public void SteadfastHttpClientOptions_Clone_CopiesTheEngineOptions()
    {
        var original = new SteadfastHttpClientOptions();
        var copy = original.Clone();
        copy.Engine.MaxAttempts = 9;

        Assert.Equal(3, original.Engine.MaxAttempts);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(200, false)]
    public void IsTransientFailure_StatusCode_Classified(int status, bool transient)
    {
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)status);

        Assert.Equal(transient, SteadfastHttpClientOptions.IsTransientFailure(response));
    }
}
