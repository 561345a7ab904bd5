namespace Build.Deploy;

/// <summary>Quoting and the shared prelude of every remote script.</summary>
public static class Shell
{
    /// <summary>One bash word: single-quoted, with embedded quotes closed and escaped.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>Marker lines a script prints on stdout, read back by <see cref="HostSession"/> to name the step that
    /// failed.</summary>
    public const string StepMarker = "::step ";
    public const string OutputMarker = "::out ";
    public const string ErrorMarker = "::error ";
    /// <summary>A line a waiting script writes only to find out whether its client is still there; ignored.</summary>
    public const string AliveMarker = "::alive";
}
