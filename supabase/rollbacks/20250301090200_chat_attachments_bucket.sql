-- Down script of 20250301090200_chat_attachments_bucket.sql
drop policy if exists "uploaders delete their own attachments" on storage.objects;
drop policy if exists "members upload into their own folder" on storage.objects;
drop policy if exists "conversation members read attachments" on storage.objects;
delete from storage.objects where bucket_id = 'chat-attachments';
delete from storage.buckets where id = 'chat-attachments';
