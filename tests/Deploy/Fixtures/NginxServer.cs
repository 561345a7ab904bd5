using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>
/// A private Nginx: own config, prefix, pid and logs in a temp folder, listening on a free loopback port and
/// proxying to the upstream include the deploy rewrites. Stopped by its pid file.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    private NginxServer(string directory, int port, string upstreamName)
    {
        Folder = directory;
        Port = port;
        UpstreamName = upstreamName;
    }

    public string Folder { get; }
    public int Port { get; }
    public string UpstreamName { get; }
    public string ConfigFile => Path.Combine(Folder, "nginx.conf");
    public string UpstreamFile => Path.Combine(Folder, "conf.d", "upstream.conf");
    public string PidFile => Path.Combine(Folder, "nginx.pid");
    public string Url => $"http://127.0.0.1:{Port}";
    /// <summary>What the deploy runs to reload this Nginx (vps.nginxReloadCommand).</summary>
    public string ReloadCommand =>
        $"{Nginx} -q -e {Path.Combine(Folder, "error.log")} -c {ConfigFile} -p {Folder}/ -s reload";

    private static string Nginx => Require.FindOnPath("nginx") ?? "/usr/sbin/nginx";

    public static NginxServer Start(string directory, string upstreamName, int initialUpstreamPort)
    {
        Directory.CreateDirectory(Path.Combine(directory, "conf.d"));
        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" })
            Directory.CreateDirectory(Path.Combine(directory, "temp", temp));
        var port = Infrastructure.Ports.Free();
        var server = new NginxServer(directory, port, upstreamName);
        File.WriteAllText(
            server.UpstreamFile,
            $"upstream {upstreamName} {{ server 127.0.0.1:{initialUpstreamPort}; }}\n"
        );
        string T(string name) => Path.Combine(directory, "temp", name);
        File.WriteAllText(server.ConfigFile, $$"""
            user root;
            worker_processes 1;
            pid {{server.PidFile}};
            error_log {{Path.Combine(directory, "error.log")}} warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{T("body")}};
              proxy_temp_path {{T("proxy")}};
              fastcgi_temp_path {{T("fastcgi")}};
              uwsgi_temp_path {{T("uwsgi")}};
              scgi_temp_path {{T("scgi")}};
              include {{server.UpstreamFile}};
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://{{upstreamName}};
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """
        );
        Processes.Run(
            Require.Tool("nginx"),
            ["-q", "-e", Path.Combine(directory, "error.log"), "-c", server.ConfigFile, "-p", directory + "/"]
        );
        var log = Path.Combine(directory, "error.log");
        Processes.WaitForPort(port, Processes.StartTimeout, $"nginx -c {server.ConfigFile}",
            diagnostics: () => Processes.Tail(log));
        return server;
    }

    public void Dispose()
    {
        if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid))
            Processes.Kill(pid, "QUIT");
    }
}
