-- Down script of 20250301090000_tenants_and_profiles.sql (tables first: their policies use current_tenant_id()).
drop trigger if exists on_auth_user_created on auth.users;
drop function if exists public.handle_new_user();
drop table if exists public.profiles;
drop table if exists public.tenants;
drop function if exists public.current_tenant_id();
