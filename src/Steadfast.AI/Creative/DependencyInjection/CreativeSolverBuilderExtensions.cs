using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the creative solver of <c>AddSteadfast(...)</c>.</summary>
public static class CreativeSolverBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="LlmCreativeSolver"/> on <paramref name="chatClient"/> with <paramref name="tools"/> as the
    /// container's <see cref="ICreativeSolver"/> (replacing one registered before), which the engine is given. The engine's
    /// <see cref="ResilienceOptions.EnableCreativeSolving"/> decides whether it is asked; <see cref="ResilienceOptions.EnableCustomCode"/>
    /// decides <see cref="LlmCreativeSolverOptions.AllowGeneratedCode"/> (the one switch, as in the seed's configuration); the
    /// cost budget defaults to <see cref="ResilienceOptions.MaxApiCost"/>. The solver gets the container's analyzer (when
    /// learning is on), <see cref="IEventBus"/>, <see cref="TimeProvider"/> and logger factory, and is also the container's
    /// <see cref="ICreativeHistory"/> (the dashboard shows it).
    /// </summary>
    /// <remarks>
    /// Proposals are kept in the container's <see cref="ICreativeProposalStore"/>: one the application registered; else a
    /// <see cref="SqliteCreativeProposalStore"/> in the learning's file when learning is on and kept in SQLite
    /// (<c>UseSqlite</c>, or <see cref="ResilienceOptions.EnablePersistence"/>), so a proposal that worked is reused after a
    /// restart without asking the model; else an <see cref="InMemoryCreativeProposalStore"/>.
    /// </remarks>
    /// <param name="builder">The builder <c>AddSteadfast</c> returned.</param>
    /// <param name="chatClient">The model (a plain client: the solver validates calls before anything runs).</param>
    /// <param name="tools">What the model may propose to call.</param>
    /// <param name="configure">Adjusts the solver's options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The builder.</returns>
    public static SteadfastBuilder UseCreativeSolver(this SteadfastBuilder builder, IChatClient chatClient, IEnumerable<CreativeTool> tools,
        Action<LlmCreativeSolverOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(tools);
        var toolList = tools.ToList();
        builder.Services.RemoveAll<LlmCreativeSolver>();
        builder.Services.AddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
            var options = new LlmCreativeSolverOptions();
            configure?.Invoke(options);
            options.AllowGeneratedCode = engine.EnableCustomCode;
            options.CostBudget ??= engine.MaxApiCost;
            return new LlmCreativeSolver(chatClient, toolList, options, engine.EnableLearning ? sp.GetService<FailureAnalyzer>() : null,
                sp.GetService<IEventBus>(), sp.GetRequiredService<ICreativeProposalStore>(), sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>());
        });
        builder.Services.TryAddSingleton<ICreativeProposalStore>(static sp =>
        {
            var engine = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
            if (engine.EnableLearning && sp.GetService<IFailureStore>() is SqliteFailureStore learning)
            {
                // The learning's file and settings: one file, one shared database and writer.
                var settings = sp.GetService<IOptions<SqliteStoreOptions>>()?.Value.Clone() ?? new SqliteStoreOptions();
                settings.Path = learning.DatabasePath;
                return new SqliteCreativeProposalStore(settings, sp.GetService<ILoggerFactory>());
            }

            return new InMemoryCreativeProposalStore();
        });
        builder.Services.Replace(ServiceDescriptor.Singleton<ICreativeSolver>(static sp => sp.GetRequiredService<LlmCreativeSolver>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICreativeHistory>(static sp => sp.GetRequiredService<LlmCreativeSolver>()));
        return builder;
    }
}
