using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Build.Deploy;

/// <summary>
/// A VPS over SSH (SSH.NET). The server's host key must match the pinned SHA-256 fingerprint before anything else
/// happens (authentication included); there is no trust on first use. Scripts go to <c>bash -s</c> on stdin, files
/// are streamed to a script on the same channel (<see cref="OpenShellAsync"/>): a deploy is one connection. A lost
/// connection is re-established on the next call.
/// </summary>
public sealed class SshRemoteHost : IRemoteHost
{
    private readonly string _host;
    private readonly int _port;
    private readonly string _user;
    private readonly string _privateKey;
    private readonly string _pinnedFingerprint;
    private readonly string _hostKeyAlgorithm;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _disposed = new();
    private SshClient? _ssh;

    /// <param name="privateKey">PEM or OpenSSH private key text (VPS_SSH_KEY), without a passphrase.</param>
    /// <param name="pinnedFingerprint">The host key's SHA-256 fingerprint, with or without the <c>SHA256:</c>
    /// prefix.</param>
    public SshRemoteHost(string host, int port, string user, string privateKey, string? pinnedFingerprint,
        string hostKeyAlgorithm = "ssh-ed25519", TimeSpan? timeout = null)
    {
        _host = host;
        _port = port;
        _user = user;
        _privateKey = privateKey;
        // Refused here, before any connection: a missing pin is never "trust whatever answers".
        if (string.IsNullOrWhiteSpace(pinnedFingerprint))
            throw new RemoteHostException(
                $"{host}:{port}: no pinned host key. Set VPS_HOST_KEY to the server's SHA256: fingerprint "
                    + "(on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); DeployVps never trusts a " +
                    "key on first use."
            );
        _pinnedFingerprint = pinnedFingerprint.Trim().StartsWith("SHA256:", StringComparison.Ordinal)
            ? pinnedFingerprint.Trim()[7..]
            : pinnedFingerprint.Trim();
        _hostKeyAlgorithm = hostKeyAlgorithm;
        _timeout = timeout ?? TimeSpan.FromSeconds(20);
    }

    public string Name => _port == 22 ? _host : $"{_host}:{_port}";

    public async Task<ScriptResult> RunScriptAsync(
        string script,
        Action<string>? onOutputLine,
        CancellationToken cancellationToken
    )
    {
        var client = await ConnectAsync(() => _ssh, c => _ssh = c, info => new SshClient(info), cancellationToken);
        using var command = client.CreateCommand("bash -s");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnError(object? sender, ExceptionEventArgs e) => lost.TrySetResult(e.Exception);
        client.ErrorOccurred += OnError;
        try
        {
            return await RunAsync(client, command, script, onOutputLine, lost.Task, stop.Token);
        }
        // A connection that dies mid-script surfaces as any of these, depending on where SSH.NET was at that moment
        // (writing the script, waiting for the command): one kind of failure for the deploy to handle.
        catch (Exception ex)
            when (ex is SshException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            throw new RemoteHostException($"{Name}: connection lost while a script ran ({ex.Message}).", ex);
        }
        finally
        {
            client.ErrorOccurred -= OnError;
        }
    }

    private async Task<ScriptResult> RunAsync(
        SshClient client,
        SshCommand command,
        string script,
        Action<string>? onOutputLine,
        Task<Exception> connectionLost,
        CancellationToken cancellationToken
    )
    {
        var execution = command.ExecuteAsync(cancellationToken);
        var output = new StringBuilder();
        // Read stdout while it runs, so that progress lines (waiting for the lock, health) show up live.
        var reading = Task.Run(async () =>
        {
            using var reader = new StreamReader(command.OutputStream, Encoding.UTF8, leaveOpen: true);
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                output.Append(line).Append('\n');
                onOutputLine?.Invoke(line);
            }
        }, CancellationToken.None);
        await using (var input = command.CreateInputStream())
        {
            var bytes = Encoding.UTF8.GetBytes(script);
            await input.WriteAsync(bytes, cancellationToken);
        }
        // A dropped connection does not always end the command's task: watch the session too.
        while (!execution.IsCompleted)
        {
            await Task.WhenAny(execution, connectionLost, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
            if (execution.IsCompleted) break;
            if (connectionLost.IsCompleted || !client.IsConnected)
                throw new RemoteHostException(
                    $"{Name}: connection lost while a script ran"
                        + (connectionLost.IsCompleted ? $" ({connectionLost.Result.Message})." : "."),
                    connectionLost.IsCompleted ? connectionLost.Result : null
                );
        }
        await execution;
        try
        {
            await reading.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // The command ended; a stream that does not report its end must not hang the deploy.
        }
        var error = await new StreamReader(command.ExtendedOutputStream, Encoding.UTF8).ReadToEndAsync(
            CancellationToken.None
        );
        return new ScriptResult(command.ExitStatus ?? -1, output.ToString(), error);
    }

    public async Task<IRemoteShell> OpenShellAsync(CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(() => _ssh, c => _ssh = c, info => new SshClient(info), cancellationToken);
        SshCommand? command = null;
        try
        {
            command = client.CreateCommand("bash -s");
            var execution = command.ExecuteAsync(_disposed.Token);
            var input = command.CreateInputStream();
            var lost = (Exception?)null;
            void OnError(object? sender, ExceptionEventArgs e) => lost ??= e.Exception;
            client.ErrorOccurred += OnError;
            var running = command;
            return new ShellSession(
                Name,
                input,
                running.OutputStream,
                running.ExtendedOutputStream,
                broken: () =>
                    lost
                    ?? (client.IsConnected ? null : new RemoteHostException($"{Name}: the SSH connection closed.")),
                close: async () =>
                {
                    client.ErrorOccurred -= OnError;
                    try
                    {
                        await input.DisposeAsync();
                        await execution.WaitAsync(TimeSpan.FromSeconds(5));
                    }
                    catch (Exception ex)
                        when (ex
                                is SshException
                                    or IOException
                                    or ObjectDisposedException
                                    or TimeoutException
                                    or OperationCanceledException
                                    or System.Net.Sockets.SocketException
                        )
                    {
                        // The shell ends with its channel either way.
                    }
                    finally
                    {
                        running.Dispose();
                    }
                });
        }
        catch (Exception ex)
            when (ex is SshException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            command?.Dispose();
            throw new RemoteHostException($"{Name}: could not start a shell over SSH ({ex.Message}).", ex);
        }
    }

    private async Task<T> ConnectAsync<T>(
        Func<T?> current,
        Action<T?> store,
        Func<ConnectionInfo, T> create,
        CancellationToken cancellationToken
    )
        where T : BaseClient
    {
        if (current() is { IsConnected: true } connected) return connected;
        current()?.Dispose();
        store(null);

        PrivateKeyFile key;
        try
        {
            key = new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(_privateKey.Trim() + "\n")));
        }
        catch (Exception ex)
            when (ex is SshException or ArgumentException or FormatException or InvalidOperationException)
        {
            // Never the key text itself in a message.
            throw new RemoteHostException(
                $"{Name}: VPS_SSH_KEY is not a usable private key ({ex.GetType().Name}); it must be an unencrypted " +
                "PEM or OpenSSH key.",
                ex
            );
        }
        var info = new ConnectionInfo(_host, _port, _user, new PrivateKeyAuthenticationMethod(_user, key))
        {
            Timeout = _timeout,
        };
        // Offer only the pinned algorithm, so the server presents the key whose fingerprint is pinned.
        foreach (
            var algorithm in info
                .HostKeyAlgorithms.Keys.Where(a => !a.Equals(_hostKeyAlgorithm, StringComparison.Ordinal))
                .ToList()
        )
            info.HostKeyAlgorithms.Remove(algorithm);
        if (info.HostKeyAlgorithms.Count == 0)
            throw new RemoteHostException(
                $"{Name}: host key algorithm '{_hostKeyAlgorithm}' (vps.hostKeyAlgorithm) is not supported by SSH.NET."
            );

        var client = create(info);
        string? presented = null;
        client.HostKeyReceived += (_, e) =>
        {
            presented = e.FingerPrintSHA256;
            e.CanTrust = HostKeyPins.Matches(e.FingerPrintSHA256, _pinnedFingerprint);
        };
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (Exception ex)
            when (ex is SshException or System.Net.Sockets.SocketException or TimeoutException or ProxyException)
        {
            client.Dispose();
            if (presented is not null && !HostKeyPins.Matches(presented, _pinnedFingerprint))
                throw new RemoteHostException(
                    $"{Name}: host key mismatch: the server presented {_hostKeyAlgorithm} SHA256:{presented} but " +
                    "VPS_HOST_KEY pins "
                        + $"SHA256:{_pinnedFingerprint}. Refused before authenticating. If the server was really " +
                        "reinstalled, check its new key out of band and update the pin.",
                    ex
                );
            if (ex is SshAuthenticationException)
                throw new RemoteHostException($"{Name}: authentication as '{_user}' with VPS_SSH_KEY was refused.", ex);
            throw new RemoteHostException($"{Name}: could not connect over SSH ({ex.Message}).", ex);
        }
        client.KeepAliveInterval = TimeSpan.FromSeconds(15);
        store(client);
        return client;
    }

    public ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        _ssh?.Dispose();
        _ssh = null;
        return ValueTask.CompletedTask;
    }
}
