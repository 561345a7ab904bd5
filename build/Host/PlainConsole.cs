using Cake.Core;

namespace Build.Host;

/// <summary>Cake's console without colour: no ANSI escape codes reach a file, a pipe or a CI log.</summary>
internal sealed class PlainConsole(IConsole inner) : IConsole
{
    public ConsoleColor ForegroundColor { get => inner.ForegroundColor; set { } }
    public ConsoleColor BackgroundColor { get => inner.BackgroundColor; set { } }
    public bool SupportAnsiEscapeCodes => false;

    public void Write(string format, params object[] arg) => inner.Write(format, arg);
    public void WriteLine(string format, params object[] arg) => inner.WriteLine(format, arg);
    public void WriteError(string format, params object[] arg) => inner.WriteError(format, arg);
    public void WriteErrorLine(string format, params object[] arg) => inner.WriteErrorLine(format, arg);
    public void ResetColor() { }
}
