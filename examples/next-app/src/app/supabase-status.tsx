// src/app/supabase-status.tsx
'use client';

// Browser code: Next.js inlines NEXT_PUBLIC_* into this bundle at `next build`, so the artifact talks to the
// Supabase project it was built for. PackageApp --env=X builds with X's URL and anon key.
import { createClient } from '@supabase/supabase-js';
import { useEffect, useState } from 'react';

const url = process.env.NEXT_PUBLIC_SUPABASE_URL ?? '';
const anonKey = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY ?? '';

export function SupabaseStatus() {
  const [session, setSession] = useState('checking…');

  useEffect(() => {
    if (!url || !anonKey) {
      setSession('not configured');
      return;
    }
    const supabase = createClient(url, anonKey, { auth: { persistSession: false } });
    supabase.auth
      .getSession()
      .then(({ data, error }) => setSession(error ? `error: ${error.message}` : data.session ? 'signed in' : 'signed out'))
      .catch(() => setSession('unreachable'));
  }, []);

  return (
    <p>
      Supabase project: <code data-testid="supabase-url">{url || 'none'}</code> ({session})
    </p>
  );
}
