namespace Build.Host;

/// <summary>A failure of this task is reported but lets the run go on (the run still ends non-zero is NOT implied:
/// a continued error is reported as a warning).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ContinueOnErrorAttribute : Attribute;
