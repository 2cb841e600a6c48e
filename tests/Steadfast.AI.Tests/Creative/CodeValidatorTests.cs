using Steadfast.AI.Creative;

namespace Steadfast.AI.Tests.Creative;

public sealed class CodeValidatorTests
{
    [Theory]
    [InlineData("var line = Console.ReadLine();\nConsole.WriteLine(string.Join(\",\", line.Split(' ').Select(int.Parse).OrderBy(x => x)));")]
    [InlineData("var sb = new StringBuilder();\nvar d = new Dictionary<string, int> { [\"a\"] = 1 };\nforeach (var (k, v) in d) sb.Append(k).Append(v);\nConsole.Write(sb);")]
    [InlineData("using System.Text.Json;\nvar doc = JsonDocument.Parse(Console.In.ReadToEnd());\nConsole.Write(doc.RootElement.GetProperty(\"n\").GetInt32() * 2);")]
    [InlineData("record Point(int X, int Y);\nclass Program { static void Main() => Console.WriteLine(new Point(1, 2) with { X = 3 }); }")]
    public void Validate_PureComputation_IsAllowed(string source)
    {
        var verdict = CodeValidator.Validate(source, 16_000);

        Assert.True(verdict.Allowed, verdict.Reason);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText(\"/etc/passwd\");", "System.IO.File")]
    [InlineData("Console.WriteLine(Environment.GetEnvironmentVariable(\"KEY\"));", "System.Environment")]
    [InlineData("Console.WriteLine(\"\".GetType());", "GetType")]
    [InlineData("Console.WriteLine(typeof(string));", "System.Type")]
    [InlineData("new System.Threading.Thread(() => { }).Start();", "System.Threading.Thread")]
    [InlineData("unsafe { int x = 1; int* p = &x; }", "unsafe")]
    [InlineData("Console.OpenStandardInput();", "Console.OpenStandardInput")]
    [InlineData("dynamic d = 1; Console.WriteLine(d);", "dynamic")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\");", "System.Diagnostics.Process")]
    [InlineData("class C { [System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid(); static void Main() { } }", "attribute")]
    [InlineData("Console.WriteLine(1", "does not compile")]
    public void Validate_ForbiddenOrBrokenCode_IsRefusedNamingTheReason(string source, string reason)
    {
        var verdict = CodeValidator.Validate(source, 16_000);

        Assert.False(verdict.Allowed);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProgramLongerThanTheLimit_IsRefused()
    {
        var verdict = CodeValidator.Validate(new string(' ', 200) + "Console.Write(1);", 100);

        Assert.False(verdict.Allowed);
        Assert.Contains("at most 100", verdict.Reason, StringComparison.Ordinal);
    }
}
