-- Conversations inside a tenant, their members, and messages. Only members read or write a conversation.

create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  last_message_at timestamptz
);

create table public.conversation_members (
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  profile_id uuid not null references public.profiles (id) on delete cascade,
  joined_at timestamptz not null default now(),
  primary key (conversation_id, profile_id)
);

create table public.messages (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  author_id uuid not null references public.profiles (id) on delete cascade,
  body text not null check (length(body) between 1 and 4000),
  attachment_path text,
  created_at timestamptz not null default now()
);

alter table public.conversations enable row level security;
alter table public.conversation_members enable row level security;
alter table public.messages enable row level security;

-- Newest messages of a conversation first: the chat view's only query.
create index messages_conversation_created_idx on public.messages (conversation_id, created_at desc);
create index conversation_members_profile_idx on public.conversation_members (profile_id);

create function public.is_conversation_member(conversation uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.conversation_members m
    where m.conversation_id = conversation and m.profile_id = auth.uid()
  )
$$;

create policy "members read conversations" on public.conversations
  for select to authenticated
  using (public.is_conversation_member(id));

create policy "tenant members start conversations" on public.conversations
  for insert to authenticated
  with check (tenant_id = public.current_tenant_id() and created_by = auth.uid());

create policy "members see who is in the conversation" on public.conversation_members
  for select to authenticated
  using (public.is_conversation_member(conversation_id));

create policy "members read messages" on public.messages
  for select to authenticated
  using (public.is_conversation_member(conversation_id));

create policy "members post as themselves" on public.messages
  for insert to authenticated
  with check (author_id = auth.uid() and public.is_conversation_member(conversation_id));

-- Keep conversations.last_message_at current for the conversation list.
create function public.touch_conversation() returns trigger
language plpgsql security definer set search_path = ''
as $BODY$
begin
  update public.conversations
     set last_message_at = new.created_at
   where id = new.conversation_id
     and (last_message_at is null or last_message_at < new.created_at);
  return new;
end;
$BODY$;

create trigger messages_touch_conversation
  after insert on public.messages
  for each row execute function public.touch_conversation();

-- Clients subscribe to new messages over Supabase Realtime.
alter publication supabase_realtime add table public.messages;
