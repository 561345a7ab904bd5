using System.Text;
using Build.Secrets;

namespace Build.Tests.Validation;

/// <summary>The console wrapper: however a writer hands it text (a char at a time, a buffer, several lines at once),
/// a secret never leaves it unmasked, and nothing written is lost.</summary>
public class MaskingTextWriterTests
{
    private const string Secret = "hunter2-very-secret";

    private static (MaskingTextWriter Writer, StringWriter Sink) Create()
    {
        var masker = new SecretMasker();
        masker.Add(Secret);
        var sink = new StringWriter();
        return (new MaskingTextWriter(sink, masker), sink);
    }

    [Test]
    public void A_secret_written_one_char_at_a_time_is_held_until_its_line_ends_then_masked()
    {
        var (writer, sink) = Create();
        foreach (var c in "token " + Secret) writer.Write(c);

        sink.ToString().Should().BeEmpty("nothing of an unfinished line leaves the writer: it may be the start of a secret");
        writer.Write('\n');
        sink.ToString().Should().Be("token ***\n");
    }

    [Test]
    public void A_buffer_with_several_lines_is_masked_line_by_line_and_its_unfinished_tail_waits()
    {
        var (writer, sink) = Create();
        var text = $"a {Secret}\nb {Secret}\nc hunter2-".ToCharArray();
        writer.Write(text, 0, text.Length);

        sink.ToString().Should().Be("a ***\nb ***\n");
        writer.Write("very-secret d\n");
        sink.ToString().Should().Be("a ***\nb ***\nc *** d\n");
    }

    [Test]
    public void Flush_and_dispose_write_the_unfinished_line_masked_and_lose_nothing()
    {
        var (writer, sink) = Create();
        writer.Write("no newline " + Secret);
        writer.Write((string?)null);
        writer.Write("");
        writer.Flush();
        sink.ToString().Should().Be("no newline ***");

        writer.Write(" then " + Secret);
        writer.Dispose();
        sink.ToString().Should().Be("no newline *** then ***");
    }

    [Test]
    public void WriteLine_ends_the_line_with_the_writers_new_line_and_keeps_the_inner_encoding()
    {
        var (writer, sink) = Create();
        writer.NewLine = "\r\n";
        writer.WriteLine(Secret);
        writer.WriteLine((string?)null);

        sink.ToString().Should().Be("***\r\n\r\n");
        writer.Inner.Should().BeSameAs(sink);
        writer.Encoding.Should().Be(sink.Encoding);
        new MaskingTextWriter(new StreamWriter(new MemoryStream(), Encoding.Latin1), new SecretMasker()).Encoding.Should().Be(Encoding.Latin1);
    }

    [Test]
    public void A_complete_line_reaches_a_buffered_stream_at_once_and_flush_pushes_the_unfinished_one_through()
    {
        var stream = new MemoryStream();
        var inner = new StreamWriter(stream) { AutoFlush = false };
        var masker = new SecretMasker();
        masker.Add(Secret);
        var writer = new MaskingTextWriter(inner, masker);
        string Written() => Encoding.UTF8.GetString(stream.ToArray());

        writer.Write("step 1 " + Secret + "\nstep 2 ");
        Written().Should().Be("step 1 ***\n", "a finished line is shown while a long step runs, not when the buffer fills");
        writer.Write(Secret);
        writer.Flush();
        Written().Should().Be("step 1 ***\nstep 2 ***");
    }
}
