// src/lib/release-info.ts
// What this running process is: the commit and build time PackageApp wrote into manifest.json at the release root.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ReleaseInfo = {
  commit: string;
  builtAt: string | null;
  version: string | null;
};

let cached: ReleaseInfo | undefined;

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(join(process.cwd(), file), 'utf8'));
  } catch {
    return null; // not a packed release (next dev), or no package.json beside server.js
  }
}

export function releaseInfo(): ReleaseInfo {
  if (cached) return cached;
  const manifest = readJson('manifest.json');
  const pkg = readJson('package.json');
  cached = {
    commit:
      (typeof manifest?.commit === 'string' && manifest.commit) ||
      process.env.NEXT_PUBLIC_COMMIT_SHA ||
      'unknown',
    builtAt: typeof manifest?.builtAt === 'string' ? manifest.builtAt : null,
    version: typeof pkg?.version === 'string' ? pkg.version : null,
  };
  return cached;
}

/** Health answers must never be cached: not by Next.js, not by Nginx, not by a CDN. */
export const noStore = { 'Cache-Control': 'no-store, no-cache, max-age=0, must-revalidate' };
