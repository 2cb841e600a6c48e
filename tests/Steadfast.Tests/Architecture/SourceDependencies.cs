using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Steadfast.Tests.Architecture;

/// <summary>
/// Which top-level folder of a project's source refers to which: every name in the code (not in comments) is bound with
/// Roslyn's semantic model and traced to the file that declares it. Partial types declared in several folders (the
/// source-generated <c>Log</c> class) count as belonging to each of them.
/// </summary>
internal static class SourceDependencies
{
    /// <summary>
    /// One reference from a folder to a symbol declared elsewhere, with where it happens. <paramref name="To"/> lists every
    /// folder that declares the symbol (more than one for a partial type).
    /// </summary>
    public sealed record Edge(string From, IReadOnlyList<string> To, string File, int Line, string Symbol);

    /// <summary>Parses every .cs file under <paramref name="sourceRoot"/> (bin and obj excluded) plus <paramref name="extra"/> files.</summary>
    public static IReadOnlyList<Edge> Analyze(string sourceRoot, IEnumerable<(string RelativePath, string Text)>? extra = null)
    {
        var trees = Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(sourceRoot, f)))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), Options, path: Path.GetRelativePath(sourceRoot, f)))
            .Concat((extra ?? []).Select(e => CSharpSyntaxTree.ParseText(e.Text, Options, path: e.RelativePath)))
            .ToList();
        var compilation = CSharpCompilation.Create("Analyzed", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var edges = new List<Edge>();
        foreach (var tree in trees)
        {
            var from = FolderOf(tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null or INamespaceSymbol)
                {
                    continue;
                }

                var folders = symbol.OriginalDefinition.DeclaringSyntaxReferences
                    .Select(r => FolderOf(r.SyntaxTree.FilePath))
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
                if (folders.Count == 0 || folders.Contains(from))
                {
                    continue; // outside this source (BCL, packages), or in the same folder
                }

                var line = name.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                edges.Add(new Edge(from, folders, tree.FilePath, line, symbol.ToDisplayString()));
            }
        }

        return edges;
    }

    /// <summary>The repository's root: the folder above the test's output that holds Steadfast.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Steadfast.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Steadfast.slnx not found above " + AppContext.BaseDirectory);
    }

    private static readonly CSharpParseOptions Options = new(LanguageVersion.Preview);

    // What the analysed code itself compiles against: the framework and the packages copied next to the tests.
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("Steadfast", StringComparison.Ordinal))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    private static bool IsBuildOutput(string relative)
        => relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
           || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The top-level folder of a file relative to the project (a file at the root belongs to "(root)").</summary>
    private static string FolderOf(string relativePath)
    {
        var slash = relativePath.IndexOfAny(['/', '\\']);
        return slash < 0 ? "(root)" : relativePath[..slash];
    }
}
