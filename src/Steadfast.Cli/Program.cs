using Steadfast.Cli;
using Steadfast.Cli.Infrastructure;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops cleanly (the demo still prints its report); a second one kills the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

return await CliApp.RunAsync(args, CliContext.ForProcess(), cancellation.Token);

// Internal: the ASP.NET Core generator (the dashboard of the demo brings the framework in) would make it public.
internal sealed partial class Program;
