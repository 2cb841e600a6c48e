namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary>
/// Route values of names. The engine names circuits <c>operation/strategy</c>, so a client escapes the slash as
/// <c>%2F</c>; the server decodes every escape in a path except that one (it would change the path's segments), so it is
/// decoded here.
/// </summary>
internal static class RouteName
{
    public static string Decode(string value) =>
        value.Contains('%', StringComparison.Ordinal) ? value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : value;
}
