namespace Steadfast.AI.Creative;

/// <summary>
/// The way generated code goes: refused at once when the sandbox is not available on this machine; otherwise statically
/// validated (<see cref="CodeValidator"/>), compiled in memory (<see cref="CodeCompiler"/>), and run only by the
/// <see cref="SandboxRunner"/>.
/// </summary>
internal sealed class GeneratedCodeGate
{
    private readonly GeneratedCodeOptions _options;
    private readonly Lazy<SandboxRunner> _runner;

    public GeneratedCodeGate(GeneratedCodeOptions options, TimeProvider time)
    {
        _options = options;
        _runner = new Lazy<SandboxRunner>(() => new SandboxRunner(SandboxEnvironment.Detect(options), options, time), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public SandboxRunner Runner => _runner.Value;

    public (CompiledProgram? Program, string? Refusal) Prepare(string source)
    {
        if (Runner.Environment.Unavailable is { } missing)
        {
            return (null, missing);
        }

        var verdict = CodeValidator.Validate(source, _options.MaxSourceLength);
        if (!verdict.Allowed)
        {
            return (null, verdict.Reason);
        }

        var (image, errors) = CodeCompiler.Emit(verdict.Compilation!);
        return image is null
            ? (null, "does not compile: " + string.Join("; ", errors))
            : (new CompiledProgram(image, FirstLines(source)), null);
    }

    public Task<SandboxResult> RunAsync(CompiledProgram program, string? input, CancellationToken cancellationToken) =>
        Runner.RunAsync(program, input, cancellationToken);

    private static string FirstLines(string source)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n').Take(5);
        var text = string.Join("\n", lines);
        return text.Length > 400 ? text[..400] : text;
    }
}
