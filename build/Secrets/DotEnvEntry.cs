namespace Build.Secrets;

/// <summary>One <c>KEY=value</c> of a <c>.env.&lt;env&gt;</c> file and the line it starts on.</summary>
public sealed record DotEnvEntry(string Key, string Value, int Line);
