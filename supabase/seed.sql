-- Demo data for local and dev (never staging or production): two tenants, three users, two conversations.
-- Runs after every migration on a fresh database. Users are created in auth.users, so the signup trigger
-- makes their profiles, as it would for a real signup.

insert into public.tenants (id, slug, name) values
  ('11111111-1111-4111-8111-111111111111', 'acme', 'Acme Corp'),
  ('22222222-2222-4222-8222-222222222222', 'globex', 'Globex');

insert into auth.users (id, aud, role, email, raw_user_meta_data, email_confirmed_at, created_at, updated_at) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'ana@acme.test', '{"display_name": "Ana"}', now(), now(), now()),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'authenticated', 'authenticated', 'bo@acme.test', '{"display_name": "Bo"}', now(), now(), now()),
  ('bbbbbbbb-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'gil@globex.test', '{}', now(), now(), now());

update public.profiles set tenant_id = '11111111-1111-4111-8111-111111111111'
 where id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002');
update public.profiles set tenant_id = '22222222-2222-4222-8222-222222222222'
 where id = 'bbbbbbbb-0000-4000-8000-000000000001';

insert into public.conversations (id, tenant_id, title, created_by) values
  ('c0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Launch plan', 'aaaaaaaa-0000-4000-8000-000000000001'),
  ('c0000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'Support', 'bbbbbbbb-0000-4000-8000-000000000001');

insert into public.conversation_members (conversation_id, profile_id) values
  ('c0000000-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001'),
  ('c0000000-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'),
  ('c0000000-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000001');

insert into public.messages (conversation_id, author_id, body) values
  ('c0000000-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 'Kick-off is on Monday; agenda in the doc.'),
  ('c0000000-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'Great, I''ll bring the designs.'),
  ('c0000000-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000001', 'Welcome to Globex support!');
