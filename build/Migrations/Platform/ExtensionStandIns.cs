using System.Reflection;
using Build.Migrations.Sql;

namespace Build.Migrations.Platform;

/// <summary>
/// Extensions Supabase apps create that a plain PostgreSQL (the replay's scratch server) usually lacks, and stand-ins
/// for them: enough of each (types, functions, operators, tables) for the migrations that use them to replay, without
/// the behaviour. A real extension is always used when the server has it (PostGIS comes from Debian's package).
/// </summary>
public static class ExtensionStandIns
{
    public static IReadOnlyList<ExtensionStandIn> All { get; } =
    [
        new(
            "vector",
            "type vector(n) with array casts, vector_dims/l2_distance/inner_product/cosine_distance and the <->, " +
            "<#>, <=>, <+> operators computed in SQL; HNSW/IVFFlat indexes are not built",
            null,
            "DROP TYPE IF EXISTS @extschema@.vector CASCADE"
        ),
        new(
            "pg_net",
            "schema net with net.http_get/http_post/http_delete and their queue tables; requests are queued, never " +
            "sent",
            "net",
            "DROP SCHEMA IF EXISTS net CASCADE"
        ),
        new(
            "http",
            "the http_request/http_response types and http(), http_get/post/put/patch/delete/head, urlencode; no " +
            "request is sent (status NULL)",
            null,
            "DROP TYPE IF EXISTS @extschema@.http_response, @extschema@.http_request, @extschema@.http_header " +
            "CASCADE; DROP DOMAIN IF EXISTS @extschema@.http_method CASCADE; "
                + "DROP FUNCTION IF EXISTS @extschema@.urlencode(character varying), @extschema@.urlencode(jsonb), " +
                "@extschema@.http_set_curlopt(character varying, character varying), @extschema@.http_reset_curlopt()"
        ),
        new(
            "pg_cron",
            "schema cron with cron.job, cron.job_run_details and schedule/unschedule/schedule_in_database/alter_job; " +
            "jobs are recorded, never run",
            "cron",
            "DROP SCHEMA IF EXISTS cron CASCADE"
        ),
    ];

    public static ExtensionStandIn? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    internal static string Resource(string name)
    {
        var resource = $"Build.Migrations.Platform.StandIns.{name}.sql";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from Build.dll.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
