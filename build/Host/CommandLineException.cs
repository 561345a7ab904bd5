namespace Build.Host;

/// <summary>A command line that cannot be understood. The message says which word and what to write instead.</summary>
public sealed class CommandLineException(string message) : Exception(message);
