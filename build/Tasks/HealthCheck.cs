using System.Globalization;
using Build.Health;
using Build.Packaging;

namespace Build.Tasks;

[TaskName(nameof(HealthCheck))]
[TaskDescription(
    "Probes --env's health URLs (or --url=) until HTTP 200, status ok and the expected --commit= (or --artifact='s) " +
    "within --timeout= seconds (30)"
)]
[TaskArgument<string>("commit", "The commit every health URL must report", Placeholder = "SHA")]
[TaskArgument<string>("artifact", "Expect the commit of this artifact's manifest", Placeholder = "PATH")]
[TaskArgument<string>(
    "url",
    "A health URL to check instead of the environment's",
    Placeholder = "URL",
    Repeatable = true
)]
[TaskArgument<string>("timeout", "Deadline in seconds (default 30), e.g. 45 or 45s", Placeholder = "SECONDS")]
public sealed class HealthCheck : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var expectedCommit =
            context.Arg("commit")
            ?? (
                context.Arg("artifact") is { } artifact ? ReleaseArtifact.Load(context.UserPath(artifact)).Commit : null
            );
        if (expectedCommit is null)
            context.Warning(
                "No --commit= or --artifact=: the commit is not checked, so an old release still answering would pass."
            );
        await VerifyAsync(context, expectedCommit);
    }

    /// <summary>The check a deploy target runs after switching traffic: throws (naming each failing URL and why)
    /// unless every health URL of the environment is healthy and serves <paramref name="expectedCommit"/>.</summary>
    public static async Task<HealthReport> VerifyAsync(
        BuildContext context,
        string? expectedCommit,
        IReadOnlyList<string>? urlOverrides = null
    )
    {
        var urls = HealthTargets.Resolve(
            context.TargetEnvironment,
            urlOverrides ?? (context.Arguments.HasArgument("url") ? context.Arguments.GetArguments("url").ToList() : [])
        );
        var options = new HealthCheckOptions { Deadline = ParseTimeout(context.Arg("timeout")) };
        context.Information(
            $"Health check of {string.Join(", ", urls)}"
                + (expectedCommit is null ? "" : $", expecting commit {HealthEndpoint.Short(expectedCommit)}")
                + $", deadline {options.Deadline.TotalSeconds:0} s"
        );

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("muva-release-healthcheck/1");
        // The console and the CI reporter mask what they print; the exception below is masked here, as it may travel
        // further. Every failed attempt is shown: during a deploy, "HTTP 502 ... retrying" is how one sees a release
        // still starting.
        var checker = new HealthChecker(http, line => context.Information("{0}", line));
        var report = await checker.CheckAsync(urls, expectedCommit, options);

        foreach (var url in report.Urls)
        {
            if (url.Healthy) context.Information("{0}", url.Describe());
            else context.Error("{0}", url.Describe());
        }
        context.Ci.Summary(report.ToMarkdown());
        if (report.Healthy) return report;

        var failures = string.Join("; ", report.Failures.Select(f => $"{f.Url}: {f.Failure}"));
        context.Ci.Error(failures, title: $"Health check of {context.EnvironmentName} failed");
        throw new InvalidOperationException(
            context.Masker.Apply($"Health check of {context.EnvironmentName} failed: {failures}")
        );
    }

    /// <summary><c>--timeout=45</c> or <c>--timeout=45s</c>, in seconds.</summary>
    private static TimeSpan ParseTimeout(string? value)
    {
        if (value is null) return HealthCheckOptions.DefaultDeadline;
        var digits = value.Trim().TrimEnd('s', 'S');
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"--timeout='{value}' is not a number of seconds.");
    }
}
