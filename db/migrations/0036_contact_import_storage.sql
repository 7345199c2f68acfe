-- Imports read their file a window at a time (substring): stored uncompressed, PostgreSQL fetches
-- only the window's slices instead of decompressing the whole file for every chunk.
ALTER TABLE contact_imports ALTER COLUMN content SET STORAGE EXTERNAL;
--> statement-breakpoint
-- Phone search by digits, however the number is written ("+31 6 1234", "0612-34"): a trigram index on the digits.
CREATE INDEX contacts_phone_digits_trgm_idx ON contacts USING gin (regexp_replace(phone, '\D', '', 'g') gin_trgm_ops);
