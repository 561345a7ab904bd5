// src/app/api/health/db/route.ts
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { noStore, releaseInfo } from '@/lib/release-info';

export const dynamic = 'force-dynamic';
export const revalidate = 0;
export const runtime = 'nodejs';

const TIMEOUT_MS = 2_000;
// A small table of your schema that always exists and that the key below may read.
// HEAD + LIMIT 1: PostgreSQL runs the query, no row is transferred.
const PROBE_TABLE = process.env.HEALTH_DB_TABLE;

let client: SupabaseClient | undefined;

function supabase(): SupabaseClient | null {
  const url = process.env.NEXT_PUBLIC_SUPABASE_URL;
  const key = process.env.SUPABASE_SERVICE_ROLE_KEY ?? process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  if (!url || !key) return null;
  client ??= createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  return client;
}

// A short public reason: the code of a PostgREST/PostgreSQL error, never its details.
function reason(e: unknown): string {
  const { name, message, code } = (e ?? {}) as { name?: string; message?: string; code?: string };
  if (name === 'TimeoutError' || name === 'AbortError' || /abort|timeout/i.test(message ?? '')) {
    return `no answer within ${TIMEOUT_MS} ms`;
  }
  return code ? `query failed (${code})` : 'database unreachable';
}

export async function GET() {
  const { commit } = releaseInfo();
  const fail = (error: string) =>
    Response.json({ status: 'error', commit, error }, { status: 503, headers: noStore });

  const db = supabase();
  if (!db || !PROBE_TABLE) {
    return fail('not configured (NEXT_PUBLIC_SUPABASE_URL, a Supabase key, HEALTH_DB_TABLE)');
  }

  const started = performance.now();
  try {
    const { error } = await db
      .from(PROBE_TABLE)
      .select('*', { head: true })
      .limit(1)
      .abortSignal(AbortSignal.timeout(TIMEOUT_MS));
    if (error) return fail(reason(error));
  } catch (e) {
    return fail(reason(e));
  }

  const latencyMs = Math.round(performance.now() - started);
  return Response.json({ status: 'ok', commit, db: { latencyMs } }, { status: 200, headers: noStore });
}
