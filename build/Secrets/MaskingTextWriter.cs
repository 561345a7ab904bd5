using System.Text;

namespace Build.Secrets;

/// <summary>
/// Wraps stdout/stderr so that no secret value leaves the process, whoever writes (Cake's log, Spectre, an exception
/// printer, a child process's echoed output). Text is held until the end of a line, so that a value written in two
/// pieces is still masked whole.
/// </summary>
public sealed class MaskingTextWriter(TextWriter inner, SecretMasker masker) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly object _gate = new();

    public TextWriter Inner => inner;
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value == '\n') FlushLine();
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (_gate)
        {
            _line.Append(value);
            if (value.Contains('\n')) FlushLine();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + CoreNewLineStr);

    public override void Flush()
    {
        lock (_gate)
        {
            inner.Write(masker.Apply(_line.ToString()));
            _line.Clear();
            inner.Flush();
        }
    }

    private string CoreNewLineStr => new(CoreNewLine);

    private void FlushLine()
    {
        // Write every complete line; keep a trailing partial line for the next write.
        var text = _line.ToString();
        var cut = text.LastIndexOf('\n') + 1;
        inner.Write(masker.Apply(text[..cut]));
        inner.Flush();
        _line.Clear().Append(text, cut, text.Length - cut);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }
}
