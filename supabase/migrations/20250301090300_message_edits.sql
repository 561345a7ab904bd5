-- Messages can be edited by their author; edited_at shows it. A nullable column with no default is a
-- metadata-only change, safe on a large table.

alter table public.messages add column edited_at timestamptz;

create policy "authors edit their messages" on public.messages
  for update to authenticated
  using (author_id = auth.uid())
  with check (author_id = auth.uid() and public.is_conversation_member(conversation_id));

create function public.mark_message_edited() returns trigger
language plpgsql
as $BODY$
begin
  if new.body is distinct from old.body then
    new.edited_at := now();
  end if;
  return new;
end;
$BODY$;

create trigger messages_mark_edited
  before update on public.messages
  for each row execute function public.mark_message_edited();
