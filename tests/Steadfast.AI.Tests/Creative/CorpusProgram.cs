namespace Steadfast.AI.Tests.Creative;

/// <summary>One hostile program of the corpus and what is expected of it, from its header comments.</summary>
internal sealed record CorpusProgram(string Name, string Source, bool ExpectRefused, bool RunInSandbox, string ExpectRun)
{
    public static CorpusProgram Read(string path)
    {
        var source = File.ReadAllText(path);
        var header = source.Split('\n').TakeWhile(l => l.StartsWith("// ", StringComparison.Ordinal))
            .Select(l => l[3..].Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        var name = Path.GetFileName(path).Replace(".cs.txt", string.Empty, StringComparison.Ordinal);
        return new CorpusProgram(name, source, header["validation"] == "refuse", header["sandbox"] == "run", header["expect-run"]);
    }
}
