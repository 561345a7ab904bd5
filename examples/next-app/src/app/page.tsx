// src/app/page.tsx
import Image from 'next/image';
import { SupabaseStatus } from './supabase-status';

export default function Home() {
  return (
    <main>
      <Image src="/logo.svg" alt="muva-chat" width={64} height={64} unoptimized />
      <h1>muva-chat example</h1>
      <p>
        Health: <a href="/api/health">/api/health</a>, <a href="/api/health/db">/api/health/db</a>
      </p>
      <SupabaseStatus />
    </main>
  );
}
