namespace Build.Host;

/// <summary>The suite's own part of <c>--help</c>: the host writes the usage, the options and the targets around
/// it.</summary>
/// <param name="Summary">What the suite is, first in the text.</param>
/// <param name="Notes">Paragraphs after the options (where secrets come from, which environments exist).</param>
/// <param name="Examples">Command lines with what each does, one per line.</param>
public sealed record HelpContent(string Summary, IReadOnlyList<string> Notes, IReadOnlyList<string> Examples);
