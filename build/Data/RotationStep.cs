namespace Build.Data;

/// <summary>One place that holds the database URL (a GitHub secret, a .env file): written with the new URL, and
/// put back as it was when a later step fails.</summary>
public sealed record RotationStep(string Name, Func<string, Task> Apply, Func<Task> Undo);
