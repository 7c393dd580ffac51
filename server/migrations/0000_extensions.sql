-- drizzle-kit never emits CREATE EXTENSION; trigram indexes need it before any table.
-- Installed in public so per-test schemas can be dropped without taking the extension along.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
