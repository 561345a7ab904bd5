namespace Build.Data;

/// <summary>The rotation failed; its message says what was put back. It carries no inner exception (those may hold SQL
/// text).</summary>
public sealed class RotationFailedException(string message) : Exception(message);
