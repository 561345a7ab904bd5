-- Tenants (one per customer organisation) and user profiles tied to Supabase Auth.
-- A profile is created automatically when a user signs up (trigger on auth.users).

create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null,
  created_at timestamptz not null default now()
);
alter table public.tenants enable row level security;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  tenant_id uuid references public.tenants (id) on delete set null,
  display_name text not null,
  avatar_path text,
  created_at timestamptz not null default now()
);
alter table public.profiles enable row level security;
create index profiles_tenant_id_idx on public.profiles (tenant_id);

-- The caller's tenant. SECURITY DEFINER so that policies on profiles can use it without recursing into
-- the policies of profiles itself.
create function public.current_tenant_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select p.tenant_id from public.profiles p where p.id = auth.uid()
$$;

create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = ''
as $BODY$
begin
  -- New users start without a tenant; an invitation (or the seed) assigns one.
  insert into public.profiles (id, display_name)
  values (
    new.id,
    coalesce(nullif(new.raw_user_meta_data ->> 'display_name', ''), split_part(new.email, '@', 1), 'user')
  );
  return new;
end;
$BODY$;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function public.handle_new_user();

create policy "members see their tenant" on public.tenants
  for select to authenticated
  using (id = public.current_tenant_id());

create policy "profiles visible within the tenant" on public.profiles
  for select to authenticated
  using (id = auth.uid() or tenant_id = public.current_tenant_id());

create policy "users edit their own profile" on public.profiles
  for update to authenticated
  using (id = auth.uid())
  with check (id = auth.uid() and tenant_id is not distinct from public.current_tenant_id());
