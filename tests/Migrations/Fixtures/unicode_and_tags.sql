create table "naïve;table" (id int, "ünï;cödé" text);
insert into "naïve;table" values (1, 'grüße; ça va'), (2, E'back\\slash; \\'), (3, U&'d\0061t\+000061; x');
create function tagged() returns text language sql as $fn_1$ select 'x;y' $fn_1$;
create function nested_tags() returns text language plpgsql as $outer$
begin
  return $inner$ ; $$ ; $inner$;
end
$outer$;
do $$ begin perform 1; end $$;
/* a comment
   spanning lines; */ select 1 as "a/*b"; select '--not a comment;' as c;
select 2 /* trailing ; */
