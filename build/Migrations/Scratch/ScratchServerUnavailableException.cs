namespace Build.Migrations.Scratch;

/// <summary>The scratch PostgreSQL did not accept a connection in time; the message names the server and the wait.
/// </summary>
public sealed class ScratchServerUnavailableException(string message, Exception inner) : Exception(message, inner);
