using System.Diagnostics;

namespace Build.Host;

/// <summary>BUILD_STARTUP_TRACE=1: prints to stderr how long after the process started each point of the run was
/// reached, and the CPU used so far (what the start-up costs before the first statement; docs/host.md, "Start-up").
/// Off, it costs a flag test.</summary>
public static class StartupTrace
{
    public const string Variable = "BUILD_STARTUP_TRACE";
    private static readonly bool Enabled = Environment.GetEnvironmentVariable(Variable) == "1";
    private static DateTime _processStart;

    public static void Mark(string what)
    {
        if (!Enabled) return;
        if (_processStart == default) _processStart = Process.GetCurrentProcess().StartTime;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var since = DateTime.Now - _processStart;
        Console.Error.WriteLine(
            $"startup: {since.TotalMilliseconds,7:0} ms (cpu {cpu.TotalMilliseconds,5:0} ms) {what}");
    }
}
