namespace Build.Deploy;

/// <summary>A connection-level failure (host key, authentication, network): the message names the host.</summary>
public sealed class RemoteHostException(string message, Exception? inner = null) : Exception(message, inner);
