using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Steadfast.AI.Creative;

/// <summary>
/// Builds and emits a generated program with Roslyn, in process: compiling runs none of the program's code (no
/// source generators or analyzers are loaded), so it is safe; the image is run only by the sandbox.
/// </summary>
internal static class CodeCompiler
{
    /// <summary>Usings every program gets, so a short program needs none of its own.</summary>
    private const string GlobalUsings =
        "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\nglobal using System.Text;\n";

    // The shared framework's own assemblies only (never the host application's): the allow-list decides what may be used,
    // and hostile code must bind (rather than fail to compile) so it is refused for what it is.
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences, LazyThreadSafetyMode.ExecutionAndPublication);

    public static CSharpCompilation CreateCompilation(string source, bool allowUnsafe)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);
        var program = CSharpSyntaxTree.ParseText(source, parse, path: "program.cs");
        var usings = CSharpSyntaxTree.ParseText(GlobalUsings, parse, path: "usings.cs");
        var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release,
            allowUnsafe: allowUnsafe, nullableContextOptions: NullableContextOptions.Disable, deterministic: true, concurrentBuild: false);
        return CSharpCompilation.Create("program", [program, usings], References.Value, options);
    }

    /// <summary>Emits the assembly; returns the errors instead when there are any.</summary>
    public static (byte[]? Image, IReadOnlyList<string> Errors) Emit(CSharpCompilation compilation)
    {
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        if (!result.Success)
        {
            return (null, [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).Select(d => d.GetMessage(CultureInfo.InvariantCulture))]);
        }

        return (pe.ToArray(), []);
    }

    /// <summary>The runtime configuration written beside the image: this process's shared framework, invariant globalization.</summary>
    public static string RuntimeConfig()
    {
        var v = Environment.Version;
        var tfm = string.Create(CultureInfo.InvariantCulture, $"net{v.Major}.{v.Minor}");
        return "{\"runtimeOptions\":{\"tfm\":\"" + tfm + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + v.ToString(3)
            + "\"},\"configProperties\":{\"System.Globalization.Invariant\":true}}}";
    }

    private static List<MetadataReference> LoadReferences()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        return [.. Directory.EnumerateFiles(runtimeDirectory, "*.dll")
            .Where(IsManaged)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
