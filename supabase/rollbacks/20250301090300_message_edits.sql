-- Down script of 20250301090300_message_edits.sql
drop trigger if exists messages_mark_edited on public.messages;
drop function if exists public.mark_message_edited();
drop policy if exists "authors edit their messages" on public.messages;
alter table public.messages drop column if exists edited_at;
