using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Steadfast.AI.Creative;

namespace Steadfast;

/// <summary>
/// An <see cref="ICreativeSolver"/> on any <see cref="IChatClient"/>: when the engine has exhausted its strategies, the
/// model is shown the situation (redacted) and the application's <see cref="CreativeTool"/>s, and proposes tool calls (and,
/// when allowed, a C# program); each proposal is validated and becomes a <see cref="Strategy{T}"/> named after the tool
/// and its canonical arguments. A proposal that worked is offered again on the next execution without asking the model; one
/// that failed is refused when proposed again; with an <see cref="ICreativeProposalStore"/> both survive a restart. See docs/creative.md.
/// </summary>
/// <remarks>
/// The model's own failure never breaks an execution: the solver then has no proposal, and the execution ends as it would
/// have without it. Neither does the proposal store's: the solver then goes on with what it has in memory.
/// </remarks>
public sealed class LlmCreativeSolver : ICreativeSolver, ICreativeHistory
{
    private readonly LlmCreativeSolverOptions _options;
    private readonly Dictionary<string, CreativeTool> _tools;
    private readonly ProposalBook _book;
    private readonly CreativeRecorder _recorder;
    private readonly ProposalValidator _validator;
    private readonly StrategyFactory _strategies;
    private readonly ModelAsker _asker;
    private readonly FailureAnalyzer? _analyzer;
    private readonly ProposalArchive? _archive;
    private readonly ILogger _logger;

    /// <summary>Creates a solver.</summary>
    /// <param name="chatClient">The model. Give it a plain client (no automatic function invocation): the solver validates calls before anything runs.</param>
    /// <param name="tools">What the model may propose to call; names must be unique (case-sensitive).</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>. Validated and copied.</param>
    /// <param name="analyzer">The engine's learning layer, when there is one: blacklisted proposals are refused, and known-good ones are ranked by its recent success rate.</param>
    /// <param name="eventBus">Where every step is published, besides <see cref="History"/>; none when <see langword="null"/>.</param>
    /// <param name="proposalStore">
    /// Where accepted proposals and their outcomes are kept across restarts (read when the solver is first asked, and for a name
    /// the learning knows but the solver does not); in memory only when <see langword="null"/>. The caller disposes it.
    /// </param>
    /// <param name="timeProvider">The clock (event times, the sandbox's wall-clock limit); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where logs go; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Two tools share a name.</exception>
    public LlmCreativeSolver(IChatClient chatClient, IEnumerable<CreativeTool> tools, LlmCreativeSolverOptions? options = null, FailureAnalyzer? analyzer = null,
        IEventBus? eventBus = null, ICreativeProposalStore? proposalStore = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(tools);
        var copy = (options ?? new LlmCreativeSolverOptions()).Clone();
        copy.Validate();
        _options = copy;
        _tools = new Dictionary<string, CreativeTool>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            ArgumentNullException.ThrowIfNull(tool, nameof(tools));
            if (!_tools.TryAdd(tool.Name, tool))
            {
                throw new ArgumentException($"Two creative tools are named '{tool.Name}'; names must be unique.", nameof(tools));
            }
        }

        var time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LlmCreativeSolver>();
        _analyzer = analyzer;
        _book = new ProposalBook(_options.MaxRememberedProposals);
        _recorder = new CreativeRecorder(_options.MaxHistory, eventBus, time, _logger);
        var codeGate = _options.AllowGeneratedCode ? new GeneratedCodeGate(_options.GeneratedCode, time) : null;
        _validator = new ProposalValidator(_tools, _options, _book, analyzer, codeGate);
        _archive = proposalStore is null ? null
            : new ProposalArchive(proposalStore, _book, new ProposalRestorer(_tools, codeGate), _recorder, _options.MaxRememberedProposals, time, _logger);
        _strategies = new StrategyFactory(_book, _recorder, codeGate, _archive);
        _asker = new ModelAsker(chatClient, _tools, _options);
    }

    /// <summary>The tools the model may propose.</summary>
    public IReadOnlyCollection<CreativeTool> Tools => _tools.Values;

    /// <summary>The most recent steps (asked, proposed, accepted or refused with the reason, reused, sandbox runs, outcomes), oldest first, redacted.</summary>
    public IReadOnlyList<CreativeSolverEvent> History => _recorder.Snapshot();

    /// <summary>
    /// Reads the proposals kept in the proposal store (once; completes at once afterwards, and at once when there is no store).
    /// <see cref="ProposeStrategyAsync{T}"/> does it by itself; call it after a restart before <see cref="LearnedStrategies{T}"/>.
    /// A store that cannot be read is logged and recorded, not thrown, and read again on the next call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the proposals are read (or could not be).</returns>
    public async ValueTask EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        if (_archive is null)
        {
            return;
        }

        try
        {
            await _archive.EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException)
        {
            // Logged and recorded by the archive; the solver goes on with what it has in memory.
        }
    }

    /// <summary>
    /// The proposals that worked for <paramref name="operationName"/> (their last run succeeded), as strategies: add them to the
    /// strategies of the next execution and the engine ranks them with the others by what it learned, before the given ones fail.
    /// After a restart, await <see cref="EnsureLoadedAsync"/> first, or the stored ones are not among them yet.
    /// </summary>
    /// <typeparam name="T">What the strategies must produce.</typeparam>
    /// <param name="operationName">The operation.</param>
    /// <returns>The strategies, best first; empty when none worked yet.</returns>
    public IReadOnlyList<Strategy<T>> LearnedStrategies<T>(string operationName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationName);
        return [.. RankKnownGood(operationName).Select(p => _strategies.Create<T>(operationName, p, input: null))];
    }

    /// <inheritdoc />
    public async ValueTask<Strategy<T>?> ProposeStrategyAsync<T>(ResilienceSituation situation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(situation);
        var operation = situation.OperationName;
        var input = _options.AllowGeneratedCode ? _options.GeneratedCodeInput?.Invoke(situation) : null;
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        if (_archive is not null && _analyzer is not null)
        {
            await _archive.FindUnknownAsync(operation, _analyzer.GetAllStrategyStatistics(operation), cancellationToken).ConfigureAwait(false);
        }

        // What worked before comes first, without asking the model; then what the model proposed earlier and was not offered yet.
        foreach (var known in RankKnownGood(operation))
        {
            if (_validator.Repeat(known.StrategyName, situation) is null && _validator.OverBudget(known.Cost, situation) is null)
            {
                _recorder.Record(CreativeEventKind.Reused, operation, known.StrategyName, known.ToolName, Shown(known), known.Rationale,
                    "it worked before; offered without asking the model");
                return _strategies.Create<T>(operation, known, input);
            }
        }

        var pending = _book.TakePending(operation, p => _validator.Repeat(p.StrategyName, situation) is null && _validator.OverBudget(p.Cost, situation) is null);
        if (pending is not null)
        {
            return _strategies.Create<T>(operation, pending, input);
        }

        var accepted = await AskAsync(situation, input, cancellationToken).ConfigureAwait(false);
        if (accepted.Count == 0)
        {
            return null;
        }

        _book.AddPending(operation, accepted.Skip(1));
        return _strategies.Create<T>(operation, accepted[0], input);
    }

    private async Task<List<Proposal>> AskAsync(ResilienceSituation situation, string? input, CancellationToken cancellationToken)
    {
        var operation = situation.OperationName;
        var offerCode = _options.AllowGeneratedCode;
        _recorder.Record(CreativeEventKind.Asked, operation, reason: $"{situation.FailedAttempts} failed attempts; {_tools.Count} tools offered" + (offerCode ? " and generated code" : string.Empty));
        List<RawProposal> raw;
        try
        {
            raw = await _asker.AskAsync(situation, PromptBuilder.Sample(input), offerCode, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The model's failure means "no idea": the execution ends with its normal stop reason.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Steadfast.AI.Log.CreativeModelFailed(_logger, operation, e);
            _recorder.Record(CreativeEventKind.ModelFailed, operation, reason: e.GetType().Name + ": " + e.Message);
            return [];
        }

        var accepted = new List<Proposal>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var proposal in raw)
        {
            var shownArguments = proposal.ParseError is null && proposal.Arguments.ValueKind != System.Text.Json.JsonValueKind.Undefined
                ? CanonicalJson.Write(proposal.Arguments) : null;
            _recorder.Record(CreativeEventKind.Proposed, operation, tool: proposal.Tool, arguments: Truncate(shownArguments), rationale: proposal.Rationale);
            var (ok, name, refusal) = _validator.Validate(proposal, situation, names);
            if (ok is null)
            {
                _recorder.Record(CreativeEventKind.Refused, operation, name, proposal.Tool, Truncate(shownArguments), proposal.Rationale, refusal);
                continue;
            }

            names.Add(ok.StrategyName);
            _book.Remember(operation, ok);
            if (_archive is not null)
            {
                await _archive.SaveAsync(operation, ok).ConfigureAwait(false);
            }

            accepted.Add(ok);
            _recorder.Record(CreativeEventKind.Accepted, operation, ok.StrategyName, ok.ToolName, Shown(ok), ok.Rationale);
        }

        if (raw.Count == 0)
        {
            _recorder.Record(CreativeEventKind.Refused, operation, reason: "the model proposed nothing");
        }

        return accepted;
    }

    /// <summary>Known-good proposals, best first: by the engine's recent success rate when it learns, else by successes counted here.</summary>
    private List<Proposal> RankKnownGood(string operation)
    {
        var known = _book.KnownGood(operation);
        return _analyzer is null
            ? [.. known.Select(k => k.Proposal)]
            : [.. known.OrderByDescending(k => _analyzer.GetStrategyStatistics(k.Proposal.StrategyName, operation).RecentSuccessRate)
                .ThenByDescending(k => k.Successes).Select(k => k.Proposal)];
    }

    private static string? Shown(Proposal p) => p.Program is { } program ? program.SourceLines : Truncate(p.CanonicalArguments);

    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;
}
