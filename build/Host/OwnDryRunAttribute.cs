namespace Build.Host;

/// <summary>The task has a dry run of its own (it shows what it would change and changes nothing): under --dryrun
/// the host runs it, with <c>--dryrun</c> visible to it, instead of only listing it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class OwnDryRunAttribute : Attribute;
