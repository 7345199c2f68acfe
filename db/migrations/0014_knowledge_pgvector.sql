-- pgvector, only where the server offers it (see docs/decisions/004-knowledge-indexing.md).
-- The drizzle schema never declares `embedding_vec`: it may not exist, so it is read and written
-- with raw SQL after checking for it at run time (activities/knowledge/pgvector.ts).
-- Vectors are stored zero-padded to 1536 dimensions (text-embedding-3-small's size); padding keeps
-- cosine between two vectors of the same model unchanged, and queries always filter by model.
-- UNTESTED PATH: the development machine has no pgvector; the docker-compose image does.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS vector;
      EXECUTE 'ALTER TABLE kb_chunks ADD COLUMN IF NOT EXISTS embedding_vec vector(1536)';
      EXECUTE 'UPDATE kb_chunks SET embedding_vec = array_cat(embedding, array_fill(0::real, ARRAY[1536 - cardinality(embedding)]))::vector(1536) WHERE embedding_vec IS NULL AND cardinality(embedding) <= 1536';
      EXECUTE 'CREATE INDEX IF NOT EXISTS kb_chunks_embedding_vec_idx ON kb_chunks USING hnsw (embedding_vec vector_cosine_ops)';
    EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR undefined_file THEN
      RAISE NOTICE 'pgvector is available but could not be enabled (%); knowledge search stays in-process', SQLERRM;
    END;
  END IF;
END
$$;
