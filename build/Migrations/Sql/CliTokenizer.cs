using System.Text;

namespace Build.Migrations.Sql;

/// <summary>
/// The Supabase CLI's statement tokenizer state machine, re-implemented over UTF-8 bytes because that is what the
/// CLI walks: it advances one byte at a time, decoding a rune at each byte (continuation bytes decode as U+FFFD), and
/// every state looks at the bytes of the current token up to the end of the rune just read.
/// </summary>
internal static class CliTokenizer
{
    /// <summary>Byte ranges [start, end) of the raw tokens (each ends after its <c>;</c>, the last one may
    /// not).</summary>
    public static IEnumerable<(int Start, int End)> Tokens(byte[] bytes)
    {
        var start = 0;
        State state = Ready.Instance;
        for (var i = 0; i < bytes.Length; i++)
        {
            var (rune, width) = DecodeRune(bytes, i);
            var end = i + width;
            var next = state.Next(rune, new Span(bytes, start, end));
            if (next is null)
            {
                yield return (start, end);
                start = end;
                i = end - 1;
                state = Ready.Instance;
            }
            else state = next;
        }
        if (start < bytes.Length) yield return (start, bytes.Length);
    }

    /// <summary>Go's utf8.DecodeRune: an invalid or truncated sequence is U+FFFD of width 1.</summary>
    private static (int Rune, int Width) DecodeRune(byte[] bytes, int index)
    {
        var status = Rune.DecodeFromUtf8(bytes.AsSpan(index), out var rune, out var consumed);
        return status == System.Buffers.OperationStatus.Done ? (rune.Value, consumed) : (0xFFFD, 1);
    }

    /// <summary>The token so far: bytes [Start, End) of the file.</summary>
    private readonly record struct Span(byte[] Bytes, int Start, int End)
    {
        public int Length => End - Start;
        public ReadOnlySpan<byte> Last(int count) => Bytes.AsSpan(End - count, count);
        public ReadOnlySpan<byte> Prefix(int length) => Bytes.AsSpan(Start, length);
    }

    private abstract class State
    {
        /// <summary>The next state, or null to emit the token.</summary>
        public abstract State? Next(int rune, Span data);
    }

    /// <summary>Outside any quote or comment. Stateless, so one instance serves everywhere.</summary>
    private sealed class Ready : State
    {
        public static readonly Ready Instance = new();

        public override State? Next(int rune, Span data) => rune switch
        {
            '$' => new Tag(data.Length - 1),
            '\'' or '"' => new Quote(rune),
            '-' => new LineCommentStart(),
            '/' => new Block(),
            '\\' => new Escape(),
            ';' => null,
            '(' => new Atomic(this, ")"u8.ToArray()),
            'c' or 'C' when IsBeginAtomic(data) => new Atomic(this, "END"u8.ToArray()),
            _ => this,
        };

        /// <summary>The token ends with ATOMIC (a whole word) preceded, after white space, by the word BEGIN.</summary>
        private static bool IsBeginAtomic(Span data)
        {
            var token = data.Prefix(data.Length);
            var offset = token.Length - 6;
            if (offset < 0 || !Ascii.EqualsIgnoreCase(token[offset..], "ATOMIC"u8)) return false;
            if (offset > 0 && IsIdentifierRune(LastRune(token[..offset]))) return false;
            var prefix = TrimEndSpace(token[..offset]);
            offset = prefix.Length - 5;
            if (offset < 0 || !Ascii.EqualsIgnoreCase(prefix[offset..], "BEGIN"u8)) return false;
            return offset == 0 || !IsIdentifierRune(LastRune(prefix[..offset]));
        }

        private static ReadOnlySpan<byte> TrimEndSpace(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                var rune = LastRune(bytes, out var width);
                if (!IsGoSpace(rune)) break;
                bytes = bytes[..^width];
            }
            return bytes;
        }

        private static int LastRune(ReadOnlySpan<byte> bytes) => LastRune(bytes, out _);

        private static int LastRune(ReadOnlySpan<byte> bytes, out int width)
        {
            var status = Rune.DecodeLastFromUtf8(bytes, out var rune, out width);
            if (status == System.Buffers.OperationStatus.Done) return rune.Value;
            width = 1;
            return 0xFFFD;
        }

        private static bool IsIdentifierRune(int rune) => IsLetter(rune) || IsDigit(rune) || rune == '_' || rune == '$';
    }

    /// <summary>Saw '-': a second '-' opens a line comment, read like a dollar quote closed by a newline.</summary>
    private sealed class LineCommentStart : State
    {
        public override State? Next(int rune, Span data) =>
            rune == '-' ? new Dollar("\n"u8.ToArray()) : Ready.Instance.Next(rune, data);
    }

    /// <summary>Saw '/': "/*" opens a (nested) block comment.</summary>
    private sealed class Block : State
    {
        private int _depth;

        public override State? Next(int rune, Span data)
        {
            var window = data.Last(2);
            if (window.SequenceEqual("/*"u8)) { _depth++; return this; }
            if (_depth == 0) return Ready.Instance.Next(rune, data);
            if (window.SequenceEqual("*/"u8) && --_depth == 0) return Ready.Instance;
            return this;
        }
    }

    /// <summary>Inside '...' or "...": a doubled delimiter stays inside, anything else after the delimiter
    /// leaves.</summary>
    private sealed class Quote(int delimiter) : State
    {
        private bool _closed;

        public override State? Next(int rune, Span data)
        {
            if (_closed)
            {
                if (rune == delimiter) { _closed = false; return this; }
                return Ready.Instance.Next(rune, data);
            }
            if (rune == delimiter) _closed = true;
            return this;
        }
    }

    /// <summary>Inside a dollar quote (or line comment) until the token ends with the delimiter.</summary>
    private sealed class Dollar(byte[] delimiter) : State
    {
        public override State? Next(int rune, Span data) =>
            data.Last(delimiter.Length).SequenceEqual(delimiter) ? Ready.Instance : this;
    }

    /// <summary>Saw '$' at <paramref name="offset"/> in the token: letters, digits and '_' until a second
    /// '$'.</summary>
    private sealed class Tag(int offset) : State
    {
        public override State? Next(int rune, Span data)
        {
            if (rune == '$') return new Dollar(data.Prefix(data.Length)[offset..].ToArray());
            if (IsLetter(rune) || IsDigit(rune) || rune == '_') return this;
            return Ready.Instance.Next(rune, data);
        }
    }

    /// <summary>Saw '\' outside quotes: the next rune (byte, for multi-byte characters) is skipped.</summary>
    private sealed class Escape : State
    {
        public override State? Next(int rune, Span data) => Ready.Instance;
    }

    /// <summary>Inside "(...)" or "BEGIN ATOMIC ... END": no split until the delimiter appears outside
    /// quotes.</summary>
    private sealed class Atomic(State previous, byte[] delimiter) : State
    {
        private State _inner = previous;

        public override State? Next(int rune, Span data)
        {
            if (_inner.Next(rune, data) is { } next)
                _inner = next;
            if (_inner is Ready && Ascii.EqualsIgnoreCase(data.Last(delimiter.Length), delimiter))
                return Ready.Instance;
            return this;
        }
    }

    private static bool IsLetter(int rune) => Rune.IsValid(rune) && Rune.IsLetter(new Rune(rune));
    private static bool IsDigit(int rune) => Rune.IsValid(rune) && Rune.IsDigit(new Rune(rune));
    private static bool IsGoSpace(int rune) => Rune.IsValid(rune) && Rune.IsWhiteSpace(new Rune(rune));
}
