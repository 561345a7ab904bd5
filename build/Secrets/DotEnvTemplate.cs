using System.Text;
using Build.Configuration;
using Build.Deploy;
using Build.Validation;

namespace Build.Secrets;

/// <summary>
/// Writes the <c>.env.&lt;env&gt;.template</c> of one environment: exactly the variables a run for it reads, with its
/// own prefix, each marked required or optional for it. One template per environment, so that
/// <c>cp .env.production.template .env.production</c> gives PROD_ names (a single STAGING_ template did not).
/// </summary>
public static class DotEnvTemplate
{
    public static string FileName(string environment) => $".env.{environment}.template";

    private static readonly Dictionary<SecretName, string> Help = new()
    {
        [SecretName.SupabaseUrl] = "Project URL: https://<project-ref>.supabase.co",
        [SecretName.SupabaseAnonKey] =
            "API key (JWT) from Project Settings > API: its \"ref\" claim is the project, its \"role\" anon.",
        [SecretName.SupabaseServiceRoleKey] =
            "API key (JWT) from Project Settings > API: its \"ref\" claim is the project, its \"role\" service_role.",
        [SecretName.DatabaseUrl] =
            "Postgres URL: direct (postgresql://postgres:PASSWORD@db.<ref>.supabase.co:5432/postgres) or the session " +
            "pooler\n"
            + "(postgresql://postgres.<ref>:PASSWORD@aws-0-<region>.pooler.supabase.com:5432/postgres); never port " +
            "6543 (the\n"
            + "transaction pooler). Percent-encode the password: / as %2F, @ as %40, # as %23, ? as %3F, : as %3A, % " +
            "as %25.",
        [SecretName.VpsHost] = "The VPS's host name or IP address.",
        [SecretName.VpsUser] = "The user the deploy logs in as (not masked in output: it is not a secret).",
        [SecretName.VpsSshKey] =
            "The private key's full text (a deploy-only key without passphrase), in double quotes; it may span lines.",
        [SecretName.VpsHostKey] =
            "The host key's fingerprint, pinned: run `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the VPS " +
            "and copy\n"
            + "the SHA256:... part. A deploy refuses a host whose key differs (no trust on first use).",
        [SecretName.SlackWebhookUrl] = "Slack incoming webhook (https://hooks.slack.com/services/...).",
        [SecretName.DiscordWebhookUrl] = "Discord webhook (https://discord.com/api/webhooks/...).",
        [SecretName.SupabaseAccessToken] =
            "Supabase personal access token (sbp_...), for the Management API (SupabaseBranches).",
        [SecretName.GitHubToken] =
            "GitHub token, for ConfigureGitHub and RotateDbPassword (environments, their secrets and variables). In " +
            "CI,\n"
            + "the workflow passes its own token to the production approval check.",
        [SecretName.ServerActionsEncryptionKey] =
            "Next.js server actions key (openssl rand -base64 32), given to PackageApp's build: one per environment, " +
            "kept\n"
            + "across builds. ConfigureGitHub copies staging's and production's to the repository secrets " +
            "<PREFIX>_NEXT_SERVER_ACTIONS_ENCRYPTION_KEY.",
    };

    public static string Render(EnvironmentSettings environment)
    {
        var required = SecretValidator.RequiredFor(environment).ToHashSet();
        var prefix = environment.SecretPrefix;
        var text = new StringBuilder();
        void Line(string s = "") => text.Append(s).Append('\n');
        void Variable(SecretName name, string? note = null)
        {
            foreach (var help in Help[name].Split('\n'))
                Line("# " + help);
            var state = required.Contains(name)
                ? $"Required for '{environment.Name}'."
                : $"Optional for '{environment.Name}'.";
            Line("# " + state + (note is null ? "" : " " + note));
            Line(SecretNames.VariablesFor(name, prefix)[0] + "=");
        }

        Line(
            $"# Secrets of the release suite for '{environment.Name}'" +
            $"{(environment.Description is { } d ? $": {d}" : "")}"
        );
        Line($"# Copy to {DotEnvFile(environment)} (git-ignored; never commit it) and fill in:");
        Line($"#   cp {FileName(environment.Name)} {DotEnvFile(environment)} && chmod 600 {DotEnvFile(environment)}");
        Line($"#   ./build.sh --target=ValidateEnvironment --env={environment.Name}");
        Line(
            $"# Variables set in the process win over the file. A run for '{environment.Name}' reads only {prefix}_ " +
            "variables"
        );
        Line("# (plus the unprefixed VPS_* fallbacks and the shared ones below), never another environment's.");
        Line("# Quoting: NAME=value, NAME='value' or NAME=\"value\"; a # comment may follow a value after a space.");
        Line("# Generated from build/environments.json (DotEnvTemplate); a test keeps it current.");

        Line();
        Line(
            "# --- Supabase and its database " +
            "---------------------------------------------------------------------------"
        );
        if (environment.SupabaseProjectRef is { } projectRef)
        {
            Variable(SecretName.SupabaseUrl, $"The ref must be {projectRef}.");
            Variable(SecretName.SupabaseAnonKey, $"Its ref claim must be {projectRef}.");
            Variable(SecretName.SupabaseServiceRoleKey, $"Its ref claim must be {projectRef}.");
            Variable(SecretName.DatabaseUrl, $"The project must be {projectRef}.");
        }
        else
            Variable(SecretName.DatabaseUrl, "Without it, a throwaway PostgreSQL is started on this machine.");

        if (environment is { Deploys: true, Vps: { Transport: DeployTransport.Ssh } vps })
        {
            Line();
            Line(
                "# --- VPS (each falls back to the unprefixed VPS_* when unset) " +
                "-------------------------------------------"
            );
            Variable(
                SecretName.VpsHost,
                vps.Hosts.Count > 0 ? "vps.hosts in build/environments.json names the hosts." : null
            );
            Variable(
                SecretName.VpsUser,
                vps.User is null ? null : "vps.user in build/environments.json names the user."
            );
            Variable(SecretName.VpsSshKey);
            Variable(SecretName.VpsHostKey);
        }

        Line();
        Line(
            "# --- Shared by every environment (one unprefixed variable) ----------------------------------------------"
        );
        foreach (var name in Enum.GetValues<SecretName>().Where(SecretNames.IsGlobal))
            Variable(name);
        return text.ToString();
    }

    private static string DotEnvFile(EnvironmentSettings environment) => $".env.{environment.Name}";
}
