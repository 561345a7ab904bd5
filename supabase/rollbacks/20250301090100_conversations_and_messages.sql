-- Down script of 20250301090100_conversations_and_messages.sql
alter publication supabase_realtime drop table public.messages;
drop table if exists public.messages;
drop table if exists public.conversation_members;
drop table if exists public.conversations;
drop function if exists public.touch_conversation();
drop function if exists public.is_conversation_member(uuid);
