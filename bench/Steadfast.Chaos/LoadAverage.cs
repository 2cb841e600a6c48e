namespace Steadfast.Chaos;

/// <summary>The machine's 1-minute load average (Linux), for the report: the world, the callers and the competitors share the cores.</summary>
internal static class LoadAverage
{
    public static string Read()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
