using Build.Migrations.Platform;
using Npgsql;

namespace Build.Tests.Migrations;

public sealed class DatabasePlatformTests
{
    [Test]
    public async Task The_platform_layer_installs_twice_and_gives_what_Supabase_migrations_expect()
    {
        var database = await PostgresServerFixture.CreateDatabaseAsync("platform");
        await SupabasePlatform.InstallAsync(database);
        await SupabasePlatform.InstallAsync(database); // idempotent

        // A new session: the database's search_path now includes extensions, as on Supabase.
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString
        );
        await connection.OpenAsync();
        async Task<object?> Scalar(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }

        (await Scalar("SELECT uuid_generate_v4() IS NOT NULL AND gen_random_bytes(4) IS NOT NULL")).Should().Be(true);
        (await Scalar("SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role'")).Should().Be(true);
        (
            await Scalar(
                "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid " +
                "= m.member "
                    + "WHERE u.rolname = 'authenticator' AND r.rolname IN ('anon','authenticated','service_role')"
            )
        )
            .Should()
            .Be(3L);
        (await Scalar("SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.objects'::regclass")).Should().Be(true);
        (await Scalar("SELECT count(*) FROM pg_publication WHERE pubname = 'supabase_realtime'")).Should().Be(1L);
        (
            await Scalar(
                "SELECT storage.foldername('avatars/u1/me.png')::text || storage.filename('avatars/u1/me.png') || " +
                "storage.extension('avatars/u1/me.png')"
            )
        )
            .Should()
            .Be("{avatars,u1}me.pngpng");

        // Policies read the caller from the JWT claims PostgREST sets, in both the current and the legacy form.
        (
            await Scalar(
                "SELECT set_config('request.jwt.claims', " +
                "'{\"sub\":\"2b1c4f0e-9d55-4c1b-a8f5-1d2f3a4b5c6d\"," +
                "\"role\":\"authenticated\",\"email\":\"a@b.c\"}', false) IS NOT NULL"
            )
        )
            .Should()
            .Be(true);
        (
            await Scalar(
                "SELECT auth.uid()::text || ' ' || auth.role() || ' ' || auth.email() || ' ' || (auth.jwt() ->> 'role')"
            )
        )
            .Should()
            .Be("2b1c4f0e-9d55-4c1b-a8f5-1d2f3a4b5c6d authenticated a@b.c authenticated");
        (
            await Scalar(
                "SELECT set_config('request.jwt.claims', '', false) || set_config('request.jwt.claim.sub', " +
                "'11111111-2222-3333-4444-555555555555', false)"
            )
        )
            .Should()
            .NotBeNull();
        (await Scalar("SELECT auth.uid()::text")).Should().Be("11111111-2222-3333-4444-555555555555");

        // GoTrue's columns that app migrations and seeds use, and the default grants for new public tables.
        (
            await Scalar(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = " +
                "'users' AND column_name = ANY("
                    + "ARRAY['id','instance_id','aud','role','email','encrypted_password','email_confirmed_at',"
                    + "'raw_app_meta_data','raw_user_meta_data',"
                    + "'is_super_admin','created_at','updated_at','phone','phone_confirmed_at','banned_until',"
                    + "'deleted_at','is_anonymous','last_sign_in_at'])"
            )
        )
            .Should()
            .Be(18L);
        await Scalar("CREATE TABLE public.after_platform(id int)");
        (await Scalar("SELECT has_table_privilege('authenticated', 'public.after_platform', 'SELECT')"))
            .Should()
            .Be(true);
        (await Scalar("SELECT path_tokens::text FROM (SELECT string_to_array('a/b', '/') AS path_tokens) t"))
            .Should()
            .Be("{a,b}");
    }
}
