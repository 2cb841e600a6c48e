using System.Text.RegularExpressions;

namespace Steadfast.Sqlite;

/// <summary>
/// The tables one kind of store keeps in a Steadfast file, as forward migrations: <c>Migrations[i]</c> takes the module
/// from version i to i + 1. Several modules may share one file; each has its own version in <c>steadfast_schema</c>.
/// Never edit a shipped migration; append a new one.
/// </summary>
/// <remarks>
/// Migration 1 of every module uses <c>CREATE ... IF NOT EXISTS</c>: files written before the modules were versioned
/// (which already hold those tables) are adopted by running it.
/// </remarks>
internal sealed partial class SqliteSchemaModule(string name, params string[] migrations)
{
    /// <summary>The module's name in <c>steadfast_schema</c>, for example <c>learning</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The migrations, oldest first.</summary>
    public IReadOnlyList<string> Migrations { get; } = migrations;

    /// <summary>The version this code writes.</summary>
    public int Version => Migrations.Count;

    /// <summary>The tables the migrations create: how a read-only store tells whether the module is in a file at all.</summary>
    public IReadOnlyList<string> Tables { get; } =
        [.. migrations.SelectMany(m => CreatedTable().Matches(m)).Select(m => m.Groups["table"].Value).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(?<table>\w+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex CreatedTable();
}
