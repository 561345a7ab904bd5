import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // A self-contained server.js with only the node_modules it needs: what PackageApp packs and PM2 runs.
  output: 'standalone',
  // This app lives inside another repository (which has its own lockfile): trace from here, so the standalone
  // folder holds server.js at its root instead of under examples/next-app/.
  outputFileTracingRoot: __dirname,
  poweredByHeader: false,
};

export default nextConfig;
