-- A private storage bucket for message attachments. Object names are
-- <conversation id>/<uploader's user id>/<file name>; members of the conversation read them,
-- and each member uploads or deletes only in their own folder.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('chat-attachments', 'chat-attachments', false, 10485760, array['image/png', 'image/jpeg', 'image/webp', 'application/pdf'])
on conflict (id) do nothing;

create policy "conversation members read attachments" on storage.objects
  for select to authenticated
  using (
    bucket_id = 'chat-attachments'
    and exists (
      select 1 from public.conversation_members m
      where m.conversation_id::text = (storage.foldername(name))[1]
        and m.profile_id = auth.uid()
    )
  );

create policy "members upload into their own folder" on storage.objects
  for insert to authenticated
  with check (
    bucket_id = 'chat-attachments'
    and (storage.foldername(name))[2] = auth.uid()::text
    and public.is_conversation_member(((storage.foldername(name))[1])::uuid)
  );

create policy "uploaders delete their own attachments" on storage.objects
  for delete to authenticated
  using (
    bucket_id = 'chat-attachments'
    and (storage.foldername(name))[2] = auth.uid()::text
  );
