using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.Tests.DependencyInjection;

/// <summary>The seed's RESILIENCE_* variables as keys of the Steadfast section, from a lookup (no process environment).</summary>
public class SteadfastSeedVariablesTests
{
    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build().GetSection("Steadfast");

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Overlay_SeedVariables_ReadAsSteadfastKeys()
    {
        var section = SteadfastSeedVariables.Overlay(Section(), Environment(
            ("RESILIENCE_ENABLED", "false"), ("RESILIENCE_CHECKPOINT_DIR", "/var/checkpoints"), ("RESILIENCE_HEALTH_CHECK_INTERVAL", "30000")));

        Assert.Equal("False", section["Enabled"]);
        Assert.Equal("/var/checkpoints", section.GetSection("Workflows")["CheckpointDirectory"]);
        Assert.Equal("00:00:30", section.GetSection("Health:CheckInterval").Value);
        Assert.Equal(["Enabled", "Workflows", "Health"], section.GetChildren().Select(c => c.Key));
    }

    [Fact]
    public void Overlay_KeySetInConfiguration_WinsOverTheSeedVariable()
    {
        var section = SteadfastSeedVariables.Overlay(
            Section(("Steadfast:Health:CheckInterval", "00:01:00"), ("Steadfast:Engine:MaxAttempts", "3")),
            Environment(("RESILIENCE_HEALTH_CHECK_INTERVAL", "30000")));

        Assert.Equal("00:01:00", section["Health:CheckInterval"]);
        Assert.Equal("3", section.GetSection("Engine")["MaxAttempts"]);
        Assert.Equal(["Engine", "Health"], section.GetChildren().Select(c => c.Key).Order());
    }

    [Fact]
    public void Overlay_NoSeedVariable_TheSectionItself()
    {
        var original = Section(("Steadfast:Engine:MaxAttempts", "3"));

        Assert.Same(original, SteadfastSeedVariables.Overlay(original, Environment()));
    }

    [Theory]
    [InlineData("RESILIENCE_HEALTH_CHECK_INTERVAL", "30s")]
    [InlineData("RESILIENCE_HEALTH_CHECK_INTERVAL", "-5")]
    [InlineData("RESILIENCE_ENABLED", "maybe")]
    public void Overlay_MeaninglessValue_RejectedNamingTheVariable(string name, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SteadfastSeedVariables.Overlay(Section(), Environment((name, value))));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
