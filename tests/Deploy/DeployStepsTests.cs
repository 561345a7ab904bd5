using System.Diagnostics;
using System.Text.Json;
using Build.Deploy;
using Build.Deploy.Steps;
using Build.Tests.Infrastructure;

namespace Build.Tests.Deploy;

/// <summary>The release steps as text (no host), and the small ones run for real with bash on a temp folder.</summary>
[TestFixture]
public sealed class DeployStepsTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private string _base = "";
    private DeploySettings _settings = null!;
    private ReleaseLayout Layout => new(_base);

    [SetUp]
    public void CreateBase()
    {
        // A space and a quote in the path: every path in every script must be quoted.
        _base = Path.Combine(DeployEnvironment.TempRoot, $"steps {Guid.NewGuid():N}", "it's www");
        _settings = new DeploySettings { BasePath = _base, AppName = "muva-chat", Ports = [3000, 3001], NginxUpstreamFile = $"{_base}/nginx/up's.conf" };
    }

    private static LockHolder Holder(string who = "ci@runner") => LockHolder.Create(who, Commit, DateTimeOffset.UtcNow);

    private async Task<ScriptResult> RunAsync(params IRemoteStep[] steps)
    {
        await using var host = new LocalHost();
        return await host.RunScriptAsync(RemoteScript.Render(_settings, steps), null, CancellationToken.None);
    }

    /// <summary>
    /// Runs blue/green's go-live script for real with stand-ins that write what they see to a journal: pm2 (each
    /// call, with where current and the Nginx upstream point at that moment), curl (the health check answers
    /// <paramref name="healthCode"/>) and the Nginx reload command. Old release "...-aaaaaaa" is live on blue.
    /// </summary>
    private async Task<(ScriptResult Result, string[] Journal, string Upstream, string Current)> GoLiveWithStandInsAsync(int healthCode)
    {
        const string old = "20250101000000-aaaaaaa", next = "20260101000000-0123456";
        var stubs = Path.Combine(_base, "stubs");
        var journal = Path.Combine(_base, "journal");
        Directory.CreateDirectory(stubs);
        foreach (var release in new[] { old, next })
        {
            Directory.CreateDirectory(Layout.Release(release));
            File.WriteAllText(Path.Combine(Layout.Release(release), "manifest.json"), $"{{\"commit\": \"{(release == next ? Commit : new string('a', 40))}\"}}");
        }
        File.CreateSymbolicLink(Layout.Current, Layout.Release(old));
        File.WriteAllText(Layout.LiveColorFile, "blue\n");
        Directory.CreateDirectory(Path.GetDirectoryName(_settings.NginxUpstreamFile)!);
        File.WriteAllText(_settings.NginxUpstreamFile!, SwitchNginx.UpstreamBlock("muva-chat", _settings.BluePort) + "\n");
        // What each stand-in saw: current's target and the port the upstream names.
        var seen = $"current=$(basename \"$(readlink {Shell.Quote(Layout.Current)})\") upstream=$(grep -o '127.0.0.1:[0-9]*' {Shell.Quote(_settings.NginxUpstreamFile!)})";
        void Stub(string name, string body)
        {
            var path = Path.Combine(stubs, name);
            File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        Stub("pm2", $"echo \"pm2 $* {seen}\" >> {Shell.Quote(journal)}");
        Stub("curl", $"echo \"health {seen}\" >> {Shell.Quote(journal)}\nprintf '{{\"status\":\"ok\",\"commit\":\"{Commit}\"}}\\n{healthCode}'");
        var settings = _settings with
        {
            Pm2Command = Path.Combine(stubs, "pm2"),
            NginxReloadCommand = $"echo \"reload {seen}\" >> {Shell.Quote(journal)}",
            HealthTimeoutSeconds = 1,
            DrainSeconds = 0,
            // These tests follow the old color's retirement (DeploySpeedTests covers the warm previous release).
            KeepPreviousWarm = false,
        };
        var goLive = GoLive.For(Layout, settings, next, Commit, old, "deploy", "ci", "token", 5);
        await using var host = new LocalHost();
        var result = await host.RunScriptAsync(RemoteScript.Render(settings, [new Call($"export PATH={Shell.Quote(stubs)}:\"$PATH\""), .. goLive.Steps]), null, CancellationToken.None);
        var lines = File.Exists(journal) ? File.ReadAllLines(journal) : [];
        return (result, lines, File.ReadAllText(_settings.NginxUpstreamFile!), Path.GetFileName(new FileInfo(Layout.Current).LinkTarget!));
    }

    [Test]
    public async Task Blue_green_touches_nginx_and_current_only_after_the_new_release_passed_its_health_check()
    {
        var (result, journal, upstream, current) = await GoLiveWithStandInsAsync(healthCode: 200);

        result.ExitCode.Should().Be(0, result.Error);
        string Port(int port) => $"upstream=127.0.0.1:{port}";
        var start = Array.FindIndex(journal, l => l.StartsWith("pm2 start ") && l.Contains("ecosystem.green.config.js"));
        var health = Array.FindIndex(journal, l => l.StartsWith("health "));
        var reload = Array.FindIndex(journal, l => l.StartsWith("reload "));
        var retire = Array.FindIndex(journal, l => l.StartsWith("pm2 delete muva-chat-blue"));
        start.Should().BeGreaterThanOrEqualTo(0, string.Join("\n", journal));
        health.Should().BeGreaterThan(start, "the candidate is checked after it started");
        journal[health].Should().Contain("current=20250101000000-aaaaaaa").And.Contain(Port(_settings.BluePort), "nothing moved while the candidate is checked");
        reload.Should().BeGreaterThan(health);
        journal[reload].Should().Contain(Port(_settings.GreenPort), "Nginx reloads the upstream that names the candidate")
            .And.Contain("current=20250101000000-aaaaaaa", "current moves only once Nginx took the new upstream");
        retire.Should().BeGreaterThan(reload, "the old color stops only once traffic left it");
        journal[retire].Should().Contain("current=20260101000000-0123456");
        upstream.Should().Contain($"127.0.0.1:{_settings.GreenPort};");
        current.Should().Be("20260101000000-0123456");
    }

    [Test]
    public async Task Blue_green_leaves_nginx_current_and_the_old_color_alone_when_the_candidate_is_unhealthy()
    {
        var (result, journal, upstream, current) = await GoLiveWithStandInsAsync(healthCode: 500);

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("failed its health check");
        journal.Should().Contain(l => l.StartsWith("health "));
        journal.Should().NotContain(l => l.StartsWith("reload "), "Nginx is not reloaded for a release that failed its check");
        journal.Should().NotContain(l => l.StartsWith("pm2 delete muva-chat-blue"), "the live color keeps serving");
        journal.Should().Contain(l => l.StartsWith("pm2 delete muva-chat-green"), "the failed candidate is stopped");
        upstream.Should().Be(SwitchNginx.UpstreamBlock("muva-chat", _settings.BluePort) + "\n");
        current.Should().Be("20250101000000-aaaaaaa");
        File.Exists(Path.Combine(Layout.Release("20260101000000-0123456"), ReleaseLayout.FailedMarker)).Should().BeTrue();
    }

    [Test]
    public async Task A_command_reading_stdin_cannot_swallow_the_rest_of_the_script()
    {
        // Over SSH the script is bash's stdin; a command that reads stdin (sudo asking, a pm2 prompt) would eat it.
        var result = await RunAsync(new Call("cat > /dev/null"), new Call("read -r line || echo 'stdin is empty'"), new Call("echo 'still running'"));

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().Contain("stdin is empty").And.Contain("still running");
    }

    [Test]
    public void The_lock_is_an_atomic_mkdir_and_breaking_it_needs_the_explicit_flag()
    {
        var keep = RemoteScript.Render(_settings, new AcquireLock(Layout, Holder(), 30, BreakStale: false));
        var breaking = RemoteScript.Render(_settings, new AcquireLock(Layout, Holder(), 30, BreakStale: true));

        keep.Should().Contain("until mkdir \"$lock\" 2>/dev/null").And.NotContain("mkdir -p \"$lock\"").And.NotContain("breaking the deploy lock");
        breaking.Should().Contain("breaking the deploy lock held by").And.Contain("  rm -rf \"$lock\"\nfi");
    }

    [Test]
    public async Task A_second_lock_fails_naming_the_holder_and_only_the_holder_releases_it()
    {
        var first = Holder("alice@laptop");

        (await RunAsync(new AcquireLock(Layout, first, 0, false), new HoldLock())).ExitCode.Should().Be(0);
        var second = await RunAsync(new AcquireLock(Layout, Holder("bob@ci"), 0, false), new HoldLock());
        await RunAsync(new ReleaseLock(Layout, "someone-else's-token"));
        var stillHeld = Directory.Exists(Layout.Lock);
        await RunAsync(new ReleaseLock(Layout, first.Token));

        second.ExitCode.Should().Be(AcquireLock.HeldExitCode);
        second.Error.Should().Contain("who=alice@laptop").And.Contain($"commit={Commit}").And.Contain("--break-lock");
        stillHeld.Should().BeTrue("a release with another token leaves the lock alone");
        Directory.Exists(Layout.Lock).Should().BeFalse();
        var broken = await RunAsync(new AcquireLock(Layout, first, 0, false), new AcquireLock(Layout, Holder("carol"), 0, BreakStale: true), new HoldLock());
        broken.ExitCode.Should().Be(0);
        broken.Output.Should().Contain("breaking the deploy lock held by: who=alice@laptop");
        File.ReadAllText(Layout.LockInfo).Should().Contain("who=carol");
    }

    [Test]
    public async Task A_lock_outlives_its_script_only_when_the_phase_completed()
    {
        var holder = Holder();

        var failedAfterTaking = await RunAsync(new AcquireLock(Layout, holder, 0, false), new Call("false"), new HoldLock());
        var lockAfterFailure = Directory.Exists(Layout.Lock);
        var completed = await RunAsync(new AcquireLock(Layout, holder, 0, false), new HoldLock());
        var lockAfterSuccess = Directory.Exists(Layout.Lock);
        var otherToken = await RunAsync(new ReleaseLockOnFailure(Layout, "not-ours"), new Call("exit 3"));
        var lockAfterOthersFailure = Directory.Exists(Layout.Lock);
        var ownToken = await RunAsync(new ReleaseLockOnFailure(Layout, holder.Token), new Call("exit 3"));

        failedAfterTaking.ExitCode.Should().NotBe(0);
        lockAfterFailure.Should().BeFalse("a lock phase that failed after taking the lock gives it back");
        completed.ExitCode.Should().Be(0);
        lockAfterSuccess.Should().BeTrue("a completed lock phase holds the lock for the next phases");
        otherToken.ExitCode.Should().Be(3);
        lockAfterOthersFailure.Should().BeTrue("a failing script never releases someone else's lock");
        ownToken.ExitCode.Should().Be(3);
        Directory.Exists(Layout.Lock).Should().BeFalse("a failing phase releases its own lock on the host");
    }

    /// <summary>Streams <paramref name="archive"/> into the release phase's receive and unpack steps, as a deploy does.</summary>
    private async Task<ScriptResult> ReceiveAsync(string archive, string sha256, string release, string entry = "server.js")
    {
        await using var host = new LocalHost();
        await using var shell = await host.OpenShellAsync(CancellationToken.None);
        var script = RemoteScript.Render(_settings, new ReleaseLockOnFailure(Layout, "token"),
            new ReceiveRelease(Layout, Path.GetFileName(archive), release, sha256), new UnpackRelease(Layout, release, Commit, entry));
        return await shell.RunAsync(script, new ScriptInput(archive), null, CancellationToken.None);
    }

    private static string Sha256(string file) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));

    [Test]
    public async Task A_release_folder_exists_whole_or_not_at_all()
    {
        Require.Tool("tar");
        const string release = "20260101000000-0123456";
        var content = Path.Combine(_base, "content");
        Directory.CreateDirectory(content);
        Directory.CreateDirectory(Layout.Releases);
        File.WriteAllText(Path.Combine(content, "manifest.json"), $"{{\"commit\": \"{Commit}\"}}");
        File.WriteAllText(Path.Combine(content, "server.js"), "// entry");
        // Enough incompressible bytes that a truncated archive fails halfway through extraction.
        File.WriteAllBytes(Path.Combine(content, "big.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(256 * 1024));
        var whole = Path.Combine(_base, "whole.tar.gz");
        Processes.Run("tar", ["-czf", whole, "-C", content, "manifest.json", "server.js", "big.bin"]);
        var half = Path.Combine(_base, "half.tar.gz");
        var bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(half, bytes[..(bytes.Length / 2)]);
        string[] Entries() => Directory.GetFileSystemEntries(Layout.Releases).Select(Path.GetFileName).ToArray()!;

        // Its own checksum, so that only the extraction can fail.
        var truncated = await ReceiveAsync(half, Sha256(half), release);
        var afterTruncated = Entries();
        var altered = await ReceiveAsync(whole, new string('0', 64), release);
        var afterAltered = Entries();
        var noEntry = await ReceiveAsync(whole, Sha256(whole), release, entry: "missing-entry.js");
        var afterNoEntry = Entries();
        var good = await ReceiveAsync(whole, Sha256(whole), release);

        truncated.ExitCode.Should().NotBe(0);
        truncated.Error.Should().Contain("as it arrived failed");
        afterTruncated.Should().BeEmpty("a half-extracted archive never appears under the release's name, and its temp folder goes");
        altered.ExitCode.Should().NotBe(0);
        altered.Error.Should().Contain("checksum of the received whole.tar.gz is").And.Contain("expected 0000");
        afterAltered.Should().BeEmpty("an archive whose checksum differs is never kept, even when it unpacked");
        noEntry.ExitCode.Should().NotBe(0);
        noEntry.Error.Should().Contain("the artifact has no missing-entry.js");
        afterNoEntry.Should().BeEmpty("a release without its entry point is never put in place");
        good.ExitCode.Should().Be(0, good.Error);
        File.ReadAllBytes(Path.Combine(Layout.Release(release), "big.bin")).Should().HaveCount(256 * 1024);
        Entries().Should().Equal(release);
    }

    [Test]
    public async Task Current_is_switched_with_a_renamed_symlink()
    {
        foreach (var name in new[] { "20250101000000-aaaaaaa", "20260101000000-0123456" }) Directory.CreateDirectory(Layout.Release(name));
        File.CreateSymbolicLink(Layout.Current, Layout.Release("20250101000000-aaaaaaa"));

        var text = RemoteScript.Render(_settings, new SwitchCurrent(Layout, "20260101000000-0123456"));
        var result = await RunAsync(new SwitchCurrent(Layout, "20260101000000-0123456"));

        text.Should().Contain("ln -sfn \"$release\" \"$current_tmp\"").And.Contain("mv -T \"$current_tmp\" \"$current_link\"");
        result.ExitCode.Should().Be(0, result.Error);
        new FileInfo(Layout.Current).LinkTarget.Should().Be(Layout.Release("20260101000000-0123456"));
        File.Exists(Path.Combine(Layout.Release("20260101000000-0123456"), ReleaseLayout.WentLiveMarker)).Should().BeTrue();
        File.Exists(Layout.CurrentTemp).Should().BeFalse("the temp link was renamed over current");
    }

    [Test]
    public async Task Pruning_keeps_the_newest_releases_and_never_the_live_or_previous_one()
    {
        string[] releases = ["20260101000000-aaaaaaa", "20260102000000-bbbbbbb", "20260103000000-ccccccc", "20260104000000-ddddddd", "20260105000000-eeeeeee"];
        foreach (var r in releases)
        {
            Directory.CreateDirectory(Layout.Release(r));
            File.WriteAllText(Path.Combine(Layout.Release(r), ReleaseLayout.WentLiveMarker), "");
        }
        Directory.CreateDirectory(Layout.UnpackTemp("x"));

        // Rolled back to the oldest, then a deploy of e whose previous was a.
        var result = await RunAsync(new PruneReleases(Layout, 2, Live: releases[4], Previous: releases[0]));

        result.ExitCode.Should().Be(0, result.Error);
        Directory.GetDirectories(Layout.Releases).Select(Path.GetFileName).Where(n => !n!.StartsWith('.'))
            .Should().BeEquivalentTo([releases[0], releases[3], releases[4]]);
    }

    /// <summary>
    /// Pruning is off the deploy's critical path: the pruned releases are renamed out of the release names at once and
    /// deleted in the background (here by an <c>rm</c> stand-in that blocks until the test opens a gate). The script
    /// returns while that deletion still runs, a second prune meanwhile returns too and never touches the live or the
    /// previous release, and once the gate opens everything pruned goes, logged.
    /// </summary>
    [Test]
    public async Task Pruned_releases_are_deleted_in_the_background_and_a_later_prune_copes_with_one_still_running()
    {
        string[] releases = ["20260101000000-aaaaaaa", "20260102000000-bbbbbbb", "20260103000000-ccccccc", "20260104000000-ddddddd",
            "20260105000000-eeeeeee", "20260106000000-fffffff"];
        void Release(string r)
        {
            Directory.CreateDirectory(Layout.Release(r));
            File.WriteAllText(Path.Combine(Layout.Release(r), ReleaseLayout.WentLiveMarker), "");
            File.WriteAllText(Path.Combine(Layout.Release(r), "server.js"), "// entry");
        }
        foreach (var r in releases[..5]) Release(r);
        var stubs = Path.Combine(_base, "stubs");
        var gate = Path.Combine(_base, "gate");
        Directory.CreateDirectory(stubs);
        var rm = Path.Combine(stubs, "rm");
        // Blocks the deletion of pruned folders until the gate exists; every other rm is the real one.
        File.WriteAllText(rm, $"#!/usr/bin/env bash\ncase \"$*\" in *'/.prune-'*) while [ ! -e {Shell.Quote(gate)} ]; do sleep 0.05; done ;; esac\n" +
            $"exec {Shell.Quote(Require.Tool("rm"))} \"$@\"\n");
        File.SetUnixFileMode(rm, (UnixFileMode)0b111_101_101);
        var path = new Call($"export PATH={Shell.Quote(stubs)}:\"$PATH\"");
        string[] Visible() => Directory.GetDirectories(Layout.Releases).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order().ToArray()!;
        string[] Pruned() => Directory.GetDirectories(Layout.Releases, ".prune-*").Select(Path.GetFileName).Order().ToArray()!;
        // A script that waited for its background job would never return while the gate is closed.
        var bounded = TimeSpan.FromSeconds(60);
        try
        {
            // e live, d before it: keep 3 keeps c as well; b and a go.
            var first = await RunAsync(path, new PruneReleases(Layout, 3, Live: releases[4], Previous: releases[3])).WaitAsync(bounded);
            var afterFirst = (Visible(), Pruned());
            // The next deploy (f) prunes while the first deletion still waits: c goes too.
            Release(releases[5]);
            var second = await RunAsync(path, new PruneReleases(Layout, 3, Live: releases[5], Previous: releases[4])).WaitAsync(bounded);
            var afterSecond = (Visible(), Pruned());
            var state = await RunAsync(new ReadState(Layout)).WaitAsync(bounded);

            first.ExitCode.Should().Be(0, first.Error);
            first.Output.Should().Contain($"pruned old release {releases[0]}").And.Contain($"pruned old release {releases[1]}");
            afterFirst.Item1.Should().Equal(releases[2..5]);
            afterFirst.Item2.Should().Equal($".prune-{releases[0]}", $".prune-{releases[1]}");
            second.ExitCode.Should().Be(0, second.Error);
            afterSecond.Item1.Should().Equal(releases[3..], "the live, the previous and the newest other served release stay");
            afterSecond.Item2.Should().Contain($".prune-{releases[2]}").And.Contain($".prune-{releases[0]}", "the first deletion is still held");
            state.Output.Should().Contain($"releases={string.Join(' ', releases[3..])}\n", "a folder being deleted is no release");
        }
        finally
        {
            File.WriteAllText(gate, "");
        }
        // Until the deletion finished and let go of its log (its lock: .NET's shared read lock waits for it).
        var log = "";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (Pruned().Length > 0 || !releases[..3].All(r => log.Contains($"deleted .prune-{r}"))))
        {
            await Task.Delay(100);
            try { log = File.ReadAllText(Layout.PruneLog); } catch (IOException) { }
        }

        Pruned().Should().BeEmpty("the background deletion removes every renamed release");
        Visible().Should().Equal(releases[3..]);
        log.Should().Contain($"deleted .prune-{releases[0]}").And.Contain($"deleted .prune-{releases[1]}").And.Contain($"deleted .prune-{releases[2]}");
    }

    [Test]
    public async Task A_deploy_short_of_space_finishes_the_deletion_of_pruned_releases_first()
    {
        Directory.CreateDirectory(Layout.Pruned("20260101000000-aaaaaaa"));
        File.WriteAllText(Path.Combine(Layout.Pruned("20260101000000-aaaaaaa"), "big.bin"), "left by a deletion that was killed");

        // More than any disk here has: the check still fails, but only after the pruned release went.
        var result = await RunAsync(new CheckFreeSpace(Layout, 1L << 60, 0));

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("waiting for the deletion of pruned releases");
        result.Error.Should().Contain("not enough free space");
        Directory.Exists(Layout.Pruned("20260101000000-aaaaaaa")).Should().BeFalse();
    }

    [Test]
    public async Task The_ecosystem_file_runs_blue_green_from_the_release_folder_and_reload_through_current()
    {
        Require.Tool("node");
        Directory.CreateDirectory(Layout.Shared);
        File.WriteAllText(Path.Combine(Layout.Shared, ".env"), "# comment\nexport DATABASE_URL=\"postgres://x\"\nNEXT_SERVER_ACTIONS_ENCRYPTION_KEY=abc=\nPORT=1\n");
        var release = Layout.Release("20260101000000-0123456");
        Directory.CreateDirectory(release);
        File.WriteAllText(Path.Combine(release, "manifest.json"), $"{{\"commit\": \"{Commit}\"}}");

        var blueGreen = await EvaluateAsync(new Pm2Ecosystem("muva-chat-green", release, "server.js", 3001, _settings, Path.Combine(Layout.Shared, ".env")));
        var reload = await EvaluateAsync(new Pm2Ecosystem("muva-chat", Layout.Current, "server.js", 3000, _settings with { WaitReady = false }, Path.Combine(Layout.Shared, ".env")));

        blueGreen.GetProperty("cwd").GetString().Should().Be(release);
        blueGreen.GetProperty("script").GetString().Should().Be(Path.Combine(release, "server.js"));
        blueGreen.GetProperty("exec_mode").GetString().Should().Be("cluster");
        blueGreen.GetProperty("wait_ready").GetBoolean().Should().BeTrue();
        blueGreen.GetProperty("listen_timeout").GetInt32().Should().Be(_settings.ListenTimeoutSeconds * 1000);
        var env = blueGreen.GetProperty("env");
        env.GetProperty("PORT").GetString().Should().Be("3001", "the color's port wins over shared/.env");
        env.GetProperty("DATABASE_URL").GetString().Should().Be("postgres://x");
        env.GetProperty("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY").GetString().Should().Be("abc=");
        env.GetProperty("RELEASE_COMMIT").GetString().Should().Be(Commit);
        reload.GetProperty("cwd").GetString().Should().Be(Layout.Current, "the symlink itself, resolved again by every reloaded worker");
        reload.GetProperty("script").GetString().Should().Be(Layout.Current + "/server.js");
    }

    private async Task<JsonElement> EvaluateAsync(Pm2Ecosystem ecosystem)
    {
        var file = Path.Combine(_base, $"eco-{Guid.NewGuid():N}.config.js");
        File.WriteAllText(file, ecosystem.Render());
        var script = new ScriptWriter();
        script.Line($"node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]).apps[0]))' {Shell.Quote(file)}");
        await using var host = new LocalHost();
        var result = await host.RunScriptAsync(script.ToString(), null, CancellationToken.None);
        result.ExitCode.Should().Be(0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    [Test]
    public async Task The_health_probe_rejects_a_process_answering_with_another_commit()
    {
        Require.Tool("node");
        Require.Tool("curl");
        var port = Infrastructure.Ports.Free();
        var start = new ProcessStartInfo("node", Path.Combine(Require.RepositoryRoot, "tests", "fixtures", "app", "server.js")) { UseShellExecute = false };
        start.Environment["PORT"] = port.ToString();
        start.Environment["RELEASE_COMMIT"] = "ffffffffffffffffffffffffffffffffffffffff";
        using var oldProcess = Process.Start(start)!;
        try
        {
            Processes.WaitForPort(port, Processes.StartTimeout, "node tests/fixtures/app/server.js", () => !oldProcess.HasExited);
            var probe = new HealthProbe("/api/health", TimeoutSeconds: 1);

            var other = await RunAsync(probe, new Call($"health_check {port} {Commit} || {{ echo \"$health_last\"; exit 3; }}"));
            var same = await RunAsync(probe, new Call($"health_check {port} ffffffffffffffffffffffffffffffffffffffff"));

            other.ExitCode.Should().Be(3);
            other.Output.Should().Contain("HTTP 200").And.Contain("\"commit\":\"ffff");
            same.ExitCode.Should().Be(0, same.Output + same.Error);
        }
        finally
        {
            oldProcess.Kill();
        }
    }

    private sealed record Call(string Line) : IRemoteStep
    {
        public string Name => "call";
        public IReadOnlyCollection<string> Needs => [];
        public IReadOnlyCollection<string> Produces => [];
        public void Render(ScriptWriter script) => script.Line(Line);
    }

    [Test]
    public void Phase_timings_give_the_total_and_each_span_of_10_ms_or_more()
    {
        var timings = new PhaseTimings();
        timings.Mark("connect", TimeSpan.Zero);
        timings.Mark("shell", TimeSpan.FromMilliseconds(800));
        timings.Mark("lock", TimeSpan.FromMilliseconds(850));
        timings.Mark("clean", TimeSpan.FromMilliseconds(1850));
        timings.Mark("hold", TimeSpan.FromMilliseconds(1856));
        timings.Mark("", TimeSpan.FromMilliseconds(2000));

        timings.Describe().Should().Be("2.00 s (connect 0.80, shell 0.05, lock 1.00, hold 0.14)", "clean took 6 ms: under 10 ms is left out");
        new PhaseTimings().Describe().Should().Be("0.00 s");
    }

    [Test]
    public void Host_key_pins_accept_ssh_keygen_output_and_per_host_entries()
    {
        var pins = HostKeyPins.Parse("256 SHA256:AAAAbbbbCCCC/+dd comment (ED25519)\nweb2:2222=SHA256:web2KEY,web3=SHA256:web3KEY");

        pins.For("web1", 22).Should().Be("AAAAbbbbCCCC/+dd");
        pins.For("web2", 2222).Should().Be("web2KEY");
        pins.For("web3", 22).Should().Be("web3KEY");
        HostKeyPins.Parse("").IsEmpty.Should().BeTrue();
        HostKeyPins.Matches("abc", "abc=").Should().BeTrue();
        HostKeyPins.Matches("abc", "abd").Should().BeFalse();
    }

    [Test]
    public void A_host_key_matches_its_pin_only_in_full_and_in_the_same_case()
    {
        const string pinned = "Xk3mQ9vT2bL8nR4wY6cJ1hF5dS7aP0eG3uI9oK2lZ8q";
        var pins = HostKeyPins.Parse($"SHA256:{pinned}");

        pins.For("web1", 22).Should().Be(pinned, "the pin keeps its case");
        HostKeyPins.Matches(pinned, pinned).Should().BeTrue();
        HostKeyPins.Matches(pinned[..^1] + "r", pinned).Should().BeFalse("a key that differs in its last character is another key");
        HostKeyPins.Matches(pinned[..4] + new string('A', pinned.Length - 4), pinned).Should().BeFalse("sharing the first characters is not a match");
        HostKeyPins.Matches(pinned[..8], pinned).Should().BeFalse("a prefix of the pin is not the pin");
        HostKeyPins.Matches(pinned.ToLowerInvariant(), pinned).Should().BeFalse("base64 is case-sensitive: another case is another key");
        HostKeyPins.Matches(pinned.ToUpperInvariant(), pinned).Should().BeFalse();
    }

    [Test]
    public void A_host_without_its_own_pin_or_a_default_pin_has_none()
    {
        // Per-host pins only: a host that is not listed has no pin (the transport then refuses it), never another's.
        var pins = HostKeyPins.Parse("web1=SHA256:Xk3mQ9vT2bL8nR4wY6cJ1hF5dS7aP0eG3uI9oK2lZ8q web2:2222=SHA256:Ab3mQ9vT2bL8nR4wY6cJ1hF5dS7aP0eG3uI9oK2lZ8q");

        pins.For("web3", 22).Should().BeNull();
        pins.For("web2", 22).Should().BeNull("web2's pin is for port 2222 only");
        pins.For("web2", 2222).Should().Be("Ab3mQ9vT2bL8nR4wY6cJ1hF5dS7aP0eG3uI9oK2lZ8q");
        pins.For("web1", 2200).Should().Be("Xk3mQ9vT2bL8nR4wY6cJ1hF5dS7aP0eG3uI9oK2lZ8q", "a pin without a port holds for every port");
    }

    [Test]
    public void Rollback_goes_to_the_newest_earlier_release_that_served_and_did_not_fail()
    {
        string[] releases = ["20260101000000-aaaaaaa", "20260102000000-bbbbbbb", "20260103000000-ccccccc", "20260104000000-ddddddd"];

        string[] wentLive = [releases[0], releases[1], releases[3]];

        RollbackService.ChooseTarget("web1", releases[3], releases, [releases[2]], wentLive, null).Should().Be(releases[1], "c failed");
        RollbackService.ChooseTarget("web1", releases[3], releases, [], wentLive, null).Should().Be(releases[1], "c never took traffic");
        RollbackService.ChooseTarget("web1", releases[1], releases, [], wentLive, releases[2]).Should().Be(releases[2], "--to may name any release");
        var none = () => RollbackService.ChooseTarget("web1", releases[0], releases, [], wentLive, null);
        none.Should().Throw<RollbackRefusedException>().WithMessage("web1: there is no release older than 20260101000000-aaaaaaa*");
        var unknown = () => RollbackService.ChooseTarget("web1", releases[3], releases, [], wentLive, "20990101000000-fffffff");
        unknown.Should().Throw<RollbackRefusedException>().WithMessage("*not on the host*");
    }
}
