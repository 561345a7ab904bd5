using System.Net;
using System.Net.Sockets;

namespace Build.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A loopback port nothing listens on right now (the OS picks it; it is released before
    /// returning).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
