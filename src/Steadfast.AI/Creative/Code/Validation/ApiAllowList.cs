using Microsoft.CodeAnalysis;

namespace Steadfast.AI.Creative;

/// <summary>
/// The only library APIs generated code may name: pure computation on values, collections, text and JSON, and the
/// console's standard input and output. Everything else — files, network, processes, reflection, interop, threads,
/// environment, the GC, app domains, the runtime's compiler services — is absent, so it is refused. An allow-list, not a
/// deny-list: a type nobody thought of is refused too. Fixed in code on purpose (not an option): widening it is a
/// security decision that deserves a review.
/// </summary>
internal static class ApiAllowList
{
    /// <summary>Namespaces whose every public type is allowed (they hold data structures only).</summary>
    private static readonly HashSet<string> OpenNamespaces = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic",
        "System.Text.Json.Nodes",
    };

    /// <summary>Single types allowed, by namespace-qualified metadata name (generic arity included).</summary>
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "System.Object", "System.String", "System.Char", "System.Boolean", "System.Byte", "System.SByte", "System.Int16", "System.UInt16",
        "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Int128", "System.UInt128", "System.Single", "System.Double",
        "System.Decimal", "System.Half", "System.Void", "System.Math", "System.MathF", "System.Convert", "System.Console", "System.BitConverter",
        "System.StringComparison", "System.StringComparer", "System.StringSplitOptions", "System.MidpointRounding", "System.Array",
        "System.Nullable`1", "System.Enum", "System.ValueType", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly",
        "System.TimeOnly", "System.DayOfWeek", "System.Guid", "System.Random", "System.Index", "System.Range", "System.Span`1",
        "System.ReadOnlySpan`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.IComparable`1", "System.IEquatable`1",
        "System.IComparable", "System.IFormatProvider", "System.IFormattable", "System.IDisposable", "System.FormattableString",
        "System.Predicate`1", "System.Comparison`1", "System.Converter`2",
        "System.Exception", "System.ArgumentException", "System.ArgumentNullException", "System.ArgumentOutOfRangeException",
        "System.InvalidOperationException", "System.FormatException", "System.OverflowException", "System.DivideByZeroException",
        "System.NotSupportedException", "System.NotImplementedException", "System.IndexOutOfRangeException", "System.ArithmeticException",
        "System.NullReferenceException", "System.InvalidCastException",
        "System.Collections.IEnumerable", "System.Collections.IEnumerator",
        "System.Linq.Enumerable", "System.Linq.IGrouping`2", "System.Linq.ILookup`2", "System.Linq.IOrderedEnumerable`1", "System.Linq.Lookup`2",
        "System.Text.StringBuilder", "System.Text.Rune",
        "System.Text.RegularExpressions.Regex", "System.Text.RegularExpressions.Match", "System.Text.RegularExpressions.Group",
        "System.Text.RegularExpressions.Capture", "System.Text.RegularExpressions.MatchCollection",
        "System.Text.RegularExpressions.GroupCollection", "System.Text.RegularExpressions.RegexOptions",
        "System.Text.Json.JsonDocument", "System.Text.Json.JsonElement", "System.Text.Json.JsonProperty", "System.Text.Json.JsonValueKind",
        "System.Text.Json.JsonSerializer", "System.Text.Json.JsonSerializerOptions", "System.Text.Json.JsonException",
        "System.Text.Json.JsonDocumentOptions", "System.Text.Json.JsonNamingPolicy",
        "System.Globalization.CultureInfo", "System.Globalization.NumberStyles", "System.Globalization.DateTimeStyles",
        "System.Numerics.BigInteger",
        "System.IO.TextReader", "System.IO.TextWriter",
        "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler",
    };

    /// <summary>Generic families allowed by name prefix (every arity): delegates and tuples.</summary>
    private static readonly string[] Families = ["System.Func`", "System.Action", "System.ValueTuple", "System.Tuple`"];

    /// <summary>Members of an allowed type that are not allowed.</summary>
    private static readonly HashSet<string> DeniedMembers = new(StringComparer.Ordinal)
    {
        "System.Object.GetType", "System.Exception.TargetSite", "System.Exception.GetType", "System.Text.Json.JsonSerializerOptions.TypeInfoResolver",
        "System.Text.Json.JsonSerializerOptions.TypeInfoResolverChain", "System.Text.Json.JsonSerializerOptions.Converters",
        "System.Text.RegularExpressions.Regex.CompileToAssembly",
    };

    /// <summary>The console offers standard input and output only (no key reading, window or stream access).</summary>
    private static readonly HashSet<string> ConsoleMembers = new(StringComparer.Ordinal)
    {
        "Write", "WriteLine", "ReadLine", "Read", "In", "Out", "Error",
    };

    public static bool IsAllowedType(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        if (definition.ContainingType is { } outer)
        {
            // A nested type (List<T>.Enumerator, Dictionary<K,V>.KeyCollection) is allowed with its outer type.
            return IsAllowedType(outer);
        }

        var ns = definition.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        var name = ns.Length == 0 ? definition.MetadataName : ns + "." + definition.MetadataName;
        return OpenNamespaces.Contains(ns) || Types.Contains(name) || Families.Any(f => name.StartsWith(f, StringComparison.Ordinal));
    }

    public static bool IsDeniedMember(ISymbol member)
    {
        var type = member.ContainingType.OriginalDefinition;
        var typeName = type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;
        if (string.Equals(typeName, "System.Console", StringComparison.Ordinal))
        {
            return !ConsoleMembers.Contains(member.Name);
        }

        return DeniedMembers.Contains(typeName + "." + member.Name)
            || (member.Name == "GetType" && member is IMethodSymbol { Parameters.Length: 0 });
    }

    /// <summary>Whether a namespace may be named (in a using directive or a qualified name): an allowed one or a parent of one.</summary>
    public static bool IsAllowedNamespace(string ns) =>
        ns.Length == 0 || OpenNamespaces.Contains(ns) || Types.Any(t => t.StartsWith(ns + ".", StringComparison.Ordinal));
}
