using System.Globalization;
using System.Text;

namespace Build;

/// <summary>Shows a value someone typed inside an error message without letting it act on the terminal or the CI log:
/// control characters, escape sequences and bidirectional overrides become visible escapes (<c>\e</c>, <c>\n</c>,
/// <c>\u202E</c>), and a long value is cut, saying how long it was.</summary>
public static class TypedText
{
    public const int MaxShown = 40;

    public static string Show(string value)
    {
        var shown = new StringBuilder();
        var runes = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (runes++ == MaxShown)
                return $"{shown}… ({value.Length} characters)";
            shown.Append(Escape(rune));
        }
        return shown.ToString();
    }

    private static string Escape(Rune rune) => rune.Value switch
    {
        0x1B => @"\e",
        '\n' => @"\n",
        '\r' => @"\r",
        '\t' => @"\t",
        '\\' => @"\\",
        _ when Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format
                                         or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                                         or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            => rune.Value <= 0xFF ? $@"\x{rune.Value:x2}" : $@"\u{rune.Value:X4}",
        _ => rune.ToString(),
    };
}
