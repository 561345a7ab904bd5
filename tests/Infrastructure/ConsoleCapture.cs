namespace Build.Tests.Infrastructure;

/// <summary>Captures stdout and stderr of an in-process run (tests run one at a time, so swapping Console is
/// safe).</summary>
public sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _out = Console.Out;
    private readonly TextWriter _error = Console.Error;
    private readonly StringWriter _capturedOut = new();
    private readonly StringWriter _capturedError = new();

    public ConsoleCapture()
    {
        Environment.SetEnvironmentVariable("NO_COLOR", "1");
        Console.SetOut(_capturedOut);
        Console.SetError(_capturedError);
    }

    public string Out => _capturedOut.ToString();
    public string Error => _capturedError.ToString();
    public string All => Out + Error;

    public void Dispose()
    {
        Console.SetOut(_out);
        Console.SetError(_error);
    }
}
