using System.Diagnostics;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>
/// A private sshd on a free 127.0.0.1 port: its own host key, config and pid file, root login with a client key the
/// fixture generates. Started once per test run, stopped by its PID.
/// </summary>
internal sealed class SshServer : IDisposable
{
    private readonly Process _process;

    private SshServer(string directory, int port, Process process, string clientKey, string fingerprint)
    {
        Folder = directory;
        Port = port;
        _process = process;
        ClientKey = clientKey;
        Fingerprint = fingerprint;
    }

    public string Folder { get; }
    public int Port { get; }
    public int Pid => _process.Id;
    /// <summary>The client's private key text (what VPS_SSH_KEY holds).</summary>
    public string ClientKey { get; }
    /// <summary>The host key fingerprint as ssh-keygen -lf prints it: SHA256:...</summary>
    public string Fingerprint { get; }
    public string LogFile => Path.Combine(Folder, "sshd.log");

    /// <summary>A variable every SSH session of this server has (sshd's SetEnv), standing for the deploying side's
    /// secrets.</summary>
    public const string SessionSecretName = "DEPLOY_TEST_SESSION_SECRET";
    public const string SessionSecretValue = "session-secret-4f1c9a";

    public static SshServer Start(string directory)
    {
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory("/run/sshd");
        var hostKey = Path.Combine(directory, "ssh_host_ed25519_key");
        var clientKey = Path.Combine(directory, "id_ed25519");
        Processes.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "deploy-test-host", "-f", hostKey]);
        Processes.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "deploy-test-client", "-f", clientKey]);
        File.Copy(clientKey + ".pub", Path.Combine(directory, "authorized_keys"));
        // "256 SHA256:abc... comment (ED25519)"
        var fingerprint = Processes.Run("ssh-keygen", ["-lf", hostKey + ".pub"]).Split(' ')[1];
        var port = Infrastructure.Ports.Free();
        var config = Path.Combine(directory, "sshd_config");
        File.WriteAllLines(config, [
            $"Port {port}",
            "ListenAddress 127.0.0.1",
            $"HostKey {hostKey}",
            $"PidFile {Path.Combine(directory, "sshd.pid")}",
            $"AuthorizedKeysFile {Path.Combine(directory, "authorized_keys")}",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "Subsystem sftp internal-sftp",
            "LogLevel VERBOSE",
            // Every session carries a "secret" of the deploying side: it must reach no PM2 dump and no app.
            $"SetEnv {SessionSecretName}={SessionSecretValue}",
        ]);
        var sshd = Require.Tool("sshd");
        var start = new ProcessStartInfo(sshd) { UseShellExecute = false };
        foreach (var a in new[] { "-D", "-f", config, "-E", Path.Combine(directory, "sshd.log") })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        Processes.WaitForPort(port, Processes.StartTimeout, $"sshd -f {config}", () => !process.HasExited,
            () => Processes.Tail(Path.Combine(directory, "sshd.log")));
        return new SshServer(directory, port, process, File.ReadAllText(clientKey), fingerprint);
    }

    /// <summary>Cuts every open connection: kills the per-connection sshd processes (the listener's sshd descendants),
    /// not the commands they run, which live on like the orphans of a client that vanished.</summary>
    public int KillSessions()
    {
        var sessions = Processes
            .DescendantsOf(Pid)
            .Where(pid => Processes.NameOf(pid) is { } name && name.StartsWith("sshd", StringComparison.Ordinal))
            .ToList();
        foreach (var pid in sessions)
            Processes.Kill(pid, "KILL");
        return sessions.Count;
    }

    public void Dispose()
    {
        if (_process.HasExited) return;
        Processes.Kill(_process.Id);
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
