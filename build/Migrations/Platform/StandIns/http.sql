-- Stand-in for pgsql-http ("http") on a replay server that lacks it: its types and functions with the extension's
-- signatures in @extschema@. No request is sent: each call answers status NULL and raises a NOTICE saying so.
CREATE DOMAIN @extschema@.http_method AS text;
CREATE TYPE @extschema@.http_header AS (field character varying, value character varying);
CREATE TYPE @extschema@.http_request AS (method @extschema@.http_method, uri character varying, headers @extschema@.http_header[],
  content_type character varying, content character varying);
CREATE TYPE @extschema@.http_response AS (status integer, content_type character varying, headers @extschema@.http_header[], content character varying);
CREATE FUNCTION @extschema@.http_header(field character varying, value character varying) RETURNS @extschema@.http_header LANGUAGE sql IMMUTABLE
  AS $$ SELECT ROW(field, value)::@extschema@.http_header $$;
CREATE FUNCTION @extschema@.http(request @extschema@.http_request) RETURNS @extschema@.http_response LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'http stand-in (replay): % % was not sent', (request).method, (request).uri;
  RETURN ROW(NULL, NULL, ARRAY[]::@extschema@.http_header[], NULL)::@extschema@.http_response;
END $$;
CREATE FUNCTION @extschema@.http_get(uri character varying) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('GET', uri, NULL, NULL, NULL)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_get(uri character varying, data jsonb) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('GET', uri, NULL, NULL, NULL)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_post(uri character varying, content character varying, content_type character varying) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('POST', uri, NULL, content_type, content)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_post(uri character varying, data jsonb) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('POST', uri, NULL, 'application/x-www-form-urlencoded', data::text)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_put(uri character varying, content character varying, content_type character varying) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('PUT', uri, NULL, content_type, content)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_patch(uri character varying, content character varying, content_type character varying) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('PATCH', uri, NULL, content_type, content)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_delete(uri character varying) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('DELETE', uri, NULL, NULL, NULL)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_delete(uri character varying, content character varying, content_type character varying) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('DELETE', uri, NULL, content_type, content)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.http_head(uri character varying) RETURNS @extschema@.http_response LANGUAGE sql
  AS $$ SELECT @extschema@.http(ROW('HEAD', uri, NULL, NULL, NULL)::@extschema@.http_request) $$;
CREATE FUNCTION @extschema@.urlencode(string character varying) RETURNS text LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT string_agg(CASE WHEN c ~ '[A-Za-z0-9._~-]' THEN c ELSE upper(regexp_replace(encode(convert_to(c, 'UTF8'), 'hex'), '(..)', '%\1', 'g')) END, '' ORDER BY n)
        FROM regexp_split_to_table(string, '') WITH ORDINALITY AS t(c, n) $$;
CREATE FUNCTION @extschema@.urlencode(data jsonb) RETURNS text LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT string_agg(@extschema@.urlencode(key) || '=' || @extschema@.urlencode(value), '&') FROM jsonb_each_text(data) $$;
CREATE FUNCTION @extschema@.http_set_curlopt(curlopt character varying, value character varying) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION @extschema@.http_reset_curlopt() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
