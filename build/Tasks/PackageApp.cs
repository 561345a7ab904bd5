using Build.Packaging;
using Build.Secrets;

namespace Build.Tasks;

[TaskName(nameof(PackageApp))]
[TaskDescription(
    "Builds the app for --env (its NEXT_PUBLIC_SUPABASE_URL and anon key) and packs it into " +
    "artifacts/<name>-<env>-<sha>.tar.gz with manifest.json and a .sha256 (--skip-build, --commit=, --allow-dirty, " +
    "--output=)"
)]
[TaskArgument<string>(
    "artifact",
    "Ship this already-built artifact instead: PackageApp is then skipped (relative to where you run)",
    Placeholder = "PATH"
)]
[TaskArgument<bool>("skip-build", "Pack the app as it is, without running its build command")]
[TaskArgument<string>(
    "output",
    "Folder for the artifact (default: artifacts/; relative to where you run)",
    Placeholder = "DIR"
)]
[TaskArgument<string>("commit", "Record this commit in the manifest instead of git's HEAD", Placeholder = "SHA")]
[TaskArgument<bool>("allow-dirty", "Pack even when tracked files have uncommitted changes")]
public sealed class PackageApp : AsyncFrostingTask<BuildContext>
{
    public const string DefaultOutputDirectory = "artifacts";

    /// <summary>Inside a deploy target, --artifact=&lt;path&gt; ships an artifact built earlier (the same bytes staging
    /// received) instead of building again.</summary>
    public override bool ShouldRun(BuildContext context) => context.Arg("artifact") is not { Length: > 0 };

    public override string SkipReason(BuildContext context) =>
        $"--artifact={context.Arg("artifact")} is shipped instead";

    /// <summary>
    /// Next.js bakes NEXT_SERVER_ACTIONS_ENCRYPTION_KEY into the build. Without one it makes a new key per build, and
    /// every browser tab opened before a deploy then fails its next server action: the key comes from the secret.
    /// </summary>
    private static Dictionary<string, string> BuildEnvironment(BuildContext context, Configuration.AppSettings app)
    {
        var variables = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(app.BuildCommand) || context.Flag("skip-build"))
            return variables;
        foreach (
            var (name, value) in PublicBuildValues.For(
                context.TargetEnvironment,
                context.Secrets,
                message => context.Warning(message)
            )
        )
            variables[name] = value;
        if (context.Secrets.Get(SecretName.ServerActionsEncryptionKey) is { } key)
            variables[
                SecretNames.VariablesFor(SecretName.ServerActionsEncryptionKey, context.TargetEnvironment.SecretPrefix)[
                    0
                ]
            ] = key.Trim();
        else
            context.Warning(
                "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY is not set: Next.js makes a new key for this build, and browser " +
                "tabs opened "
                    + "before the deploy fail their next server action. Set it once (openssl rand -base64 32) and " +
                    "keep it."
            );
        return variables;
    }

    /// <summary>The commit a run would pack: --commit, else HEAD (with -dirty when the app has changes).</summary>
    public static string PlannedCommit(BuildContext context) =>
        context.Arg("commit")
        ?? CommitResolver.FromRepository(context.InRepository(context.App.Path), allowDirty: true).Sha;

    public static string ShortCommit(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary>--dryrun: the commit it would build and the artifact it would write.</summary>
    public override Task<IReadOnlyList<string>> PlanAsync(BuildContext context)
    {
        var app = context.App;
        var sha = PlannedCommit(context);
        var shortSha = ShortCommit(sha);
        var output = context.Arg("output") is { Length: > 0 } o
            ? context.UserPath(o)
            : context.InRepository(DefaultOutputDirectory);
        var build =
            context.Flag("skip-build") || string.IsNullOrWhiteSpace(app.BuildCommand)
                ? "pack without a build"
                : $"build with `{app.BuildCommand}`";
        var dirty = sha.EndsWith(SourceCommit.DirtySuffix, StringComparison.Ordinal)
            ? " (uncommitted changes: the real run refuses them without --allow-dirty)"
            : "";
        var artifact = Path.Combine(output, $"{context.Config.Project.Name}-{shortSha}.tar.gz");
        return Task.FromResult<IReadOnlyList<string>>([
            $"{build} at commit {shortSha}{dirty}",
            $"write {Path.GetRelativePath(context.WorkingDirectory, artifact)}",
        ]);
    }

    public override async Task RunAsync(BuildContext context)
    {
        // An empty --artifact= is a mistake (an unset CI variable), not "build one": stop before anything changes.
        if (context.Arguments.HasArgument("artifact"))
            throw new ArgumentException(
                "--artifact= is empty: give the path of an artifact (.tar.gz), or leave --artifact out to build one."
            );
        var app = context.App;
        var request = new PackageRequest(
            AppRoot: context.InRepository(app.Path),
            AppName: context.Config.Project.Name,
            BuildCommand: app.BuildCommand,
            Pack: app.Pack.Select(p => new PackedPath(p.Key, p.Value)).ToList(),
            OutputDirectory: context.Arg("output") is { Length: > 0 } output
                ? context.UserPath(output)
                : context.InRepository(DefaultOutputDirectory),
            // An app with nothing to build (no buildCommand) is packed as it is.
            SkipBuild: context.Flag("skip-build") || string.IsNullOrWhiteSpace(app.BuildCommand),
            CommitOverride: context.Arg("commit"),
            AllowDirty: context.Flag("allow-dirty"),
            BuildEnvironment: BuildEnvironment(context, app),
            Target: new BuildTarget(context.EnvironmentName, context.TargetEnvironment.SupabaseProjectRef));
        if (request.SkipBuild && !string.IsNullOrWhiteSpace(app.BuildCommand))
            context.Warning(
                "--skip-build: the manifest says this artifact is for '{0}' (Supabase project {1}), but the build " +
                "ran outside PackageApp: "
                    + "make sure it used {0}'s {2} and anon key.",
                context.EnvironmentName,
                context.TargetEnvironment.SupabaseProjectRef ?? "none",
                PublicBuildValues.UrlVariable
            );

        var packager = new AppPackager(line => context.Information("{0}", line));
        var result = await packager.PackageAsync(request);
        context.PackagedArtifact = result.ArtifactPath;

        foreach (var warning in result.Warnings)
            context.Ci.Warning(warning, title: "PackageApp");
        var manifest = result.Manifest;
        context.Ci.Summary(
            $"### Artifact {Path.GetFileName(result.ArtifactPath)}\n\n"
                + "| commit | environment | Supabase project | built at | files | size | sha256 " +
                "|\n|---|---|---|---|---|---|---|\n"
                + $"| `{manifest.Commit}` | {manifest.Environment} | {manifest.SupabaseProjectRef ?? "none"} | " +
                $"{manifest.BuiltAt:yyyy-MM-ddTHH:mm:ssZ} | {manifest.FileCount:N0} | " +
                $"{result.ArtifactBytes / 1048576.0:N1} MB | `{result.Sha256}` |\n"
        );
    }
}
