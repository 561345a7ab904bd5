using System.Diagnostics;
using Build.Tests.Infrastructure;
using System.Net;
using System.Net.Sockets;

namespace Build.Tests.Deploy;

/// <summary>Small process and port helpers for the deploy fixtures.</summary>
internal static class Processes
{
    /// <summary>Runs a program to completion; throws with its output when it fails.</summary>
    public static string Run(
        string program,
        IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null,
        int timeoutSeconds = 60
    )
    {
        return ChildProcess.Check(
            program,
            arguments,
            environment: environment?.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)),
            timeout: TimeSpan.FromSeconds(timeoutSeconds)
        );
    }

    /// <summary>A fixture's service start-up: generous, as a loaded 2-core CI machine can take many seconds to start
    /// sshd or Nginx; it only bounds a service that never comes up.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits until something accepts connections on 127.0.0.1:<paramref name="port"/>. On failure the message
    /// names <paramref name="what"/> was awaited and ends with <paramref name="diagnostics"/> (its log, say).</summary>
    public static void WaitForPort(int port, TimeSpan timeout, string what, Func<bool>? stillAlive = null,
        Func<string>? diagnostics = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                if (stillAlive is not null && !stillAlive())
                    throw new InvalidOperationException($"{what} exited before listening on 127.0.0.1:{port} "
                        + $"({watch.Elapsed.TotalSeconds:0.#} s after its start){Details(diagnostics)}");
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException(
            $"{what}: nothing listens on 127.0.0.1:{port} after {timeout.TotalSeconds:0} s{Details(diagnostics)}");
    }

    /// <summary>The last lines of a log file, for a start-up failure's message ("(no path)" when it is missing).</summary>
    public static string Tail(string path, int lines = 20)
    {
        try
        {
            if (!File.Exists(path)) return $"(no {path})";
            return $"{path} ends:\n{string.Join("\n", File.ReadLines(path).TakeLast(lines))}";
        }
        catch (IOException e) { return $"({path}: {e.Message})"; }
    }

    private static string Details(Func<string>? diagnostics) => diagnostics is null ? "" : "\n" + diagnostics();

    /// <summary>PIDs whose parent is <paramref name="parent"/> (from /proc).</summary>
    public static IReadOnlyList<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent) children.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return children;
    }

    public static IReadOnlyList<int> DescendantsOf(int root)
    {
        var all = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
            foreach (var child in ChildrenOf(queue.Dequeue()))
            {
                all.Add(child);
                queue.Enqueue(child);
            }
        return all;
    }

    /// <summary>The process's command name (/proc/pid/comm), or null when it is gone.</summary>
    public static string? NameOf(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return null; }
    }

    /// <summary>True while the process exists and has not exited (a zombie waiting to be reaped has exited).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException) { return false; }
    }

    public static void Kill(int pid, string signal = "TERM")
    {
        try { Run("kill", [$"-{signal}", pid.ToString()]); }
        catch (InvalidOperationException) { /* already gone */ }
    }
}
