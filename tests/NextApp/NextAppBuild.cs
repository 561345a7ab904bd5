using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Build.Packaging;
using Build.Tests.Infrastructure;

namespace Build.Tests.NextApp;

/// <summary>
/// examples/next-app built once per test run by the real PackageApp --env=staging (pnpm 12.4.2, next build,
/// output: 'standalone'), with staging's and production's public values both in the environment so that picking the
/// wrong one would show. The artifact is cached between runs of one machine under ~/.cache, keyed by the app's files,
/// the build command and the values (not the checkout's path), so an unchanged app costs nothing on the next run.
/// </summary>
public static class NextAppBuild
{
    public const string StagingRef = "rvjmwwvkhglcuqwcznph";
    public const string ProductionRef = "iyeueszchbvlutlcmvcb";
    public static readonly string StagingUrl = $"https://{StagingRef}.supabase.co";
    public static readonly string ProductionUrl = $"https://{ProductionRef}.supabase.co";
    public static string StagingAnonKey => TestJwt.Supabase(StagingRef, "anon");
    public static string ProductionAnonKey => TestJwt.Supabase(ProductionRef, "anon");

    public static string AppFolder => Path.Combine(Require.RepositoryRoot, "examples", "next-app");

    private static readonly Lazy<Task<ReleaseArtifact>> Staging = new(BuildStagingAsync);

    /// <summary>The staging artifact (built on first use in this run, or taken from the machine's cache).</summary>
    public static Task<ReleaseArtifact> StagingArtifactAsync()
    {
        Require.Tool("node");
        Require.Tool("npx");
        return Staging.Value;
    }

    private static string CacheRoot =>
        Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "muva-release-suite",
            "next-app"
        );

    private static async Task<ReleaseArtifact> BuildStagingAsync()
    {
        var config = JsonNode.Parse(
            File.ReadAllText(Path.Combine(Require.RepositoryRoot, "build", "environments.json"))
        )!;
        // The local rehearsal's app section is the one that builds examples/next-app: staging builds it here.
        var app = config["environments"]!["local"]!["app"]!.DeepClone().AsObject();
        // The key leaves the checkout's path out: every checkout of the same app shares one cache entry.
        var key = CacheKey(app.ToJsonString());
        app["path"] = AppFolder;
        var cached = Path.Combine(CacheRoot, key);
        if (Directory.Exists(cached) && Directory.GetFiles(cached, "*.tar.gz").FirstOrDefault() is { } hit)
        {
            TestContext.Progress.WriteLine($"examples/next-app: cached staging build {hit}");
            return ReleaseArtifact.Load(hit);
        }

        var work = Directory.CreateTempSubdirectory("next-app-build-").FullName;
        try
        {
            var configPath = TestConfiguration.Write(work, json => json["project"]!["app"] = app.DeepClone());
            var output = Path.Combine(work, "artifacts");
            var variables = new Dictionary<string, string>
            {
                ["STAGING_SUPABASE_URL"] = StagingUrl,
                ["STAGING_SUPABASE_ANON_KEY"] = StagingAnonKey,
                ["PROD_SUPABASE_URL"] = ProductionUrl,
                ["PROD_SUPABASE_ANON_KEY"] = ProductionAnonKey,
                ["NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"] = Convert.ToBase64String(
                    SHA256.HashData(Encoding.UTF8.GetBytes(key))
                ),
            };
            var watch = Stopwatch.StartNew();
            // The commit is the cache key: the health routes answer it, and a rebuilt app answers a new one.
            var run = await SuiteRun.RunAsync(
                variables,
                $"--config={configPath}",
                "--target=PackageApp",
                "--env=staging",
                $"--commit={key}",
                $"--output={output}"
            );
            if (run.ExitCode != 0)
                Assert.Fail($"PackageApp --env=staging of examples/next-app failed:\n{run.All}");
            TestContext.Progress.WriteLine(
                $"examples/next-app: built and packed for staging in {watch.Elapsed.TotalSeconds:N0} s"
            );

            Directory.CreateDirectory(CacheRoot);
            // The three newest builds are kept (other checkouts of this machine may be using theirs); a half-written
            // entry never has the final name.
            foreach (
                var old in new DirectoryInfo(CacheRoot)
                    .GetDirectories()
                    .OrderByDescending(d => d.LastWriteTimeUtc)
                    .Skip(2)
            )
                TryDelete(old.FullName);
            var staged = Path.Combine(CacheRoot, $".{key}-{Environment.ProcessId}");
            Directory.Move(output, staged);
            try
            {
                Directory.Move(staged, cached);
            }
            catch (IOException) when (Directory.Exists(cached))
            {
                TryDelete(staged);
            } // another checkout stored the same build first
            return ReleaseArtifact.Load(Directory.GetFiles(cached, "*.tar.gz").Single());
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>A 40-hex key over everything the build reads: the app's own files (not node_modules or .next), the
    /// app section of the configuration, the public values and the manifest format.</summary>
    private static string CacheKey(string appSection)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add($"format {ReleaseManifest.CurrentFormat}");
        Add(appSection);
        Add(StagingUrl);
        Add(StagingAnonKey);
        var skip = new[] { "node_modules", ".next" };
        foreach (var file in Directory.GetFiles(AppFolder, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(AppFolder, f).Replace('\\', '/'))
                     .Where(f => !skip.Any(s => f == s || f.StartsWith(s + "/", StringComparison.Ordinal)))
                     .Where(f => f != "next-env.d.ts" && !f.EndsWith(".tsbuildinfo", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            Add(file);
            hash.AppendData(File.ReadAllBytes(Path.Combine(AppFolder, file)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..40];
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
