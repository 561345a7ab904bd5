-- Stand-in for pgvector ("vector") on a replay server that lacks it. Not pgvector: a variable-length type that keeps
-- its text ('[1,2,3]'), takes a dimension (vector(1536), not enforced), casts from and to arrays, and the distance
-- functions and operators (<->, <#>, <=>, <+>) computed in SQL, so tables, casts, and function bodies that use them
-- replay. HNSW/IVFFlat indexes are not built (the replay names them). @extschema@ is the extension's schema.
CREATE TYPE @extschema@.vector;
CREATE FUNCTION @extschema@.vector_in(cstring, oid, integer) RETURNS @extschema@.vector LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'textin';
CREATE FUNCTION @extschema@.vector_out(@extschema@.vector) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'textout';
CREATE FUNCTION @extschema@.vector_typmod_in(cstring[]) RETURNS integer LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'bpchartypmodin';
CREATE FUNCTION @extschema@.vector_typmod_out(integer) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'bpchartypmodout';
CREATE TYPE @extschema@.vector (
  INPUT = @extschema@.vector_in, OUTPUT = @extschema@.vector_out,
  TYPMOD_IN = @extschema@.vector_typmod_in, TYPMOD_OUT = @extschema@.vector_typmod_out,
  INTERNALLENGTH = VARIABLE, STORAGE = extended, CATEGORY = 'U');

CREATE FUNCTION @extschema@.vector_to_float8(@extschema@.vector) RETURNS double precision[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT string_to_array(btrim($1::text, '[]{} '), ',')::double precision[] $$;
CREATE FUNCTION @extschema@.vector_to_float4(@extschema@.vector) RETURNS real[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT string_to_array(btrim($1::text, '[]{} '), ',')::real[] $$;
CREATE FUNCTION @extschema@.array_to_vector(double precision[]) RETURNS @extschema@.vector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ('[' || array_to_string($1, ',') || ']')::@extschema@.vector $$;
CREATE FUNCTION @extschema@.array_to_vector(real[]) RETURNS @extschema@.vector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ('[' || array_to_string($1, ',') || ']')::@extschema@.vector $$;
CREATE FUNCTION @extschema@.array_to_vector(integer[]) RETURNS @extschema@.vector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ('[' || array_to_string($1, ',') || ']')::@extschema@.vector $$;
CREATE FUNCTION @extschema@.array_to_vector(numeric[]) RETURNS @extschema@.vector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ('[' || array_to_string($1, ',') || ']')::@extschema@.vector $$;
CREATE CAST (double precision[] AS @extschema@.vector) WITH FUNCTION @extschema@.array_to_vector(double precision[]) AS ASSIGNMENT;
CREATE CAST (real[] AS @extschema@.vector) WITH FUNCTION @extschema@.array_to_vector(real[]) AS ASSIGNMENT;
CREATE CAST (integer[] AS @extschema@.vector) WITH FUNCTION @extschema@.array_to_vector(integer[]) AS ASSIGNMENT;
CREATE CAST (numeric[] AS @extschema@.vector) WITH FUNCTION @extschema@.array_to_vector(numeric[]) AS ASSIGNMENT;
CREATE CAST (@extschema@.vector AS real[]) WITH FUNCTION @extschema@.vector_to_float4(@extschema@.vector) AS IMPLICIT;

CREATE FUNCTION @extschema@.vector_dims(@extschema@.vector) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT cardinality(@extschema@.vector_to_float8($1)) $$;
CREATE FUNCTION @extschema@.vector_norm(@extschema@.vector) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sqrt(sum(a * a)) FROM unnest(@extschema@.vector_to_float8($1)) AS t(a) $$;
CREATE FUNCTION @extschema@.l2_norm(@extschema@.vector) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT @extschema@.vector_norm($1) $$;
CREATE FUNCTION @extschema@.l2_distance(@extschema@.vector, @extschema@.vector) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sqrt(sum((a - b) * (a - b))) FROM unnest(@extschema@.vector_to_float8($1), @extschema@.vector_to_float8($2)) AS t(a, b) $$;
CREATE FUNCTION @extschema@.l1_distance(@extschema@.vector, @extschema@.vector) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sum(abs(a - b)) FROM unnest(@extschema@.vector_to_float8($1), @extschema@.vector_to_float8($2)) AS t(a, b) $$;
CREATE FUNCTION @extschema@.inner_product(@extschema@.vector, @extschema@.vector) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sum(a * b) FROM unnest(@extschema@.vector_to_float8($1), @extschema@.vector_to_float8($2)) AS t(a, b) $$;
CREATE FUNCTION @extschema@.vector_negative_inner_product(@extschema@.vector, @extschema@.vector) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT -@extschema@.inner_product($1, $2) $$;
CREATE FUNCTION @extschema@.cosine_distance(@extschema@.vector, @extschema@.vector) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT 1 - sum(a * b) / nullif(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0)
        FROM unnest(@extschema@.vector_to_float8($1), @extschema@.vector_to_float8($2)) AS t(a, b) $$;

CREATE OPERATOR @extschema@.<-> (LEFTARG = @extschema@.vector, RIGHTARG = @extschema@.vector, FUNCTION = @extschema@.l2_distance, COMMUTATOR = OPERATOR(@extschema@.<->));
CREATE OPERATOR @extschema@.<#> (LEFTARG = @extschema@.vector, RIGHTARG = @extschema@.vector, FUNCTION = @extschema@.vector_negative_inner_product, COMMUTATOR = OPERATOR(@extschema@.<#>));
CREATE OPERATOR @extschema@.<=> (LEFTARG = @extschema@.vector, RIGHTARG = @extschema@.vector, FUNCTION = @extschema@.cosine_distance, COMMUTATOR = OPERATOR(@extschema@.<=>));
CREATE OPERATOR @extschema@.<+> (LEFTARG = @extschema@.vector, RIGHTARG = @extschema@.vector, FUNCTION = @extschema@.l1_distance, COMMUTATOR = OPERATOR(@extschema@.<+>));
