namespace Build.Deploy;

/// <summary>What a script printed and how it ended.</summary>
public sealed record ScriptResult(int ExitCode, string Output, string Error);
