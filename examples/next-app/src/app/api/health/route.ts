// src/app/api/health/route.ts
import { noStore, releaseInfo } from '@/lib/release-info';

// Evaluated on every request: never prerendered at build time, never served from the data cache.
export const dynamic = 'force-dynamic';
export const revalidate = 0;
export const runtime = 'nodejs'; // reads manifest.json from disk

export function GET() {
  const { commit, builtAt, version } = releaseInfo();
  return Response.json(
    {
      status: 'ok',
      commit,
      builtAt,
      version,
      uptime: Math.round(process.uptime()), // seconds since this process started
    },
    { status: 200, headers: noStore },
  );
}
