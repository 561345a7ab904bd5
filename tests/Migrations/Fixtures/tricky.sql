-- Leading comment; with a semicolon
/* block comment; /* nested; */ still comment; */
create table "we;ird ""name""" (id int primary key, note text default 'it''s; fine');

create function f_dollar() returns text language plpgsql as $$
begin
  return 'a;b';
end;
$$;

CREATE FUNCTION f_body(x int) RETURNS int LANGUAGE plpgsql AS $BODY$
DECLARE y int := 1; -- inner; comment
BEGIN
  /* ; */ y := x + 1;
  RETURN y;
END;
$BODY$;

create function f_atomic(a int) returns int language sql
begin atomic
  select a + 1;
end;

create rule r_ins as on insert to "we;ird ""name""" do also (select 1; select 2);

insert into "we;ird ""name""" (id, note) values (1, E'tab\there; x'), (2, 'héllo; wörld'), (3, $_$dollar; $$ inside$_$)   ;
select 1; -- trailing comment; after statement
;;
-- only a comment here;
;
select 'no terminator' -- final comment
