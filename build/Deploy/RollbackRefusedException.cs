namespace Build.Deploy;

/// <summary>Rollback cannot happen: no earlier release, or the named one is not on the host.</summary>
public sealed class RollbackRefusedException(string message) : Exception(message);
