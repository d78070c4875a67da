-- The portal's database and its two roles, for psql as a superuser connected to any database. Run on every start of
-- deploy/local-cluster.sh and once by docker-compose.yml's postgres service (deploy/postgres/init.sh); safe to run again.
-- psql variables: db, owner, app (names), owner_password, app_password.
--   owner  owns the database and its schemas and runs the migrations (--migrate-only);
--   app    the portal's login: owns nothing, cannot bypass row-level security, and may only read and write the rows of
--          what the owner creates (and use its sequences), so it cannot drop or alter a table or a policy.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT format('CREATE ROLE %I LOGIN', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
ALTER ROLE :"app" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD :'app_password';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'owner', 'UTF8')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec

\connect :"db"
SET client_min_messages = warning;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
-- TEMPORARY: ingestion stages a batch in a temporary table before one INSERT … ON CONFLICT.
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- Whatever the owner creates later (the migrations' tables, sequences and schemas), in any schema.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE, SELECT ON SEQUENCES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE ON SCHEMAS TO :"app";
-- What the owner created before these defaults existed (a database older than this file).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";

-- Hangfire's schema (hangfire) is created and upgraded by --migrate-only as the owner, like the migrations; the defaults
-- above give the portal's role what Hangfire does at run time (rows, SELECT … FOR UPDATE, sequences) and nothing more.
