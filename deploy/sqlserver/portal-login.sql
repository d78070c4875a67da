-- The portal's own SQL Server login, which is not db_owner and has no DDL right: it reads and writes rows (the portal's
-- and Hangfire's) and executes, but cannot create or alter a table, nor alter or drop the row-level security policy (no
-- owner or DDL admin role, no right on security policies, no ALTER on any schema). Run by
-- docker-compose.sqlserver.yml's `logins` step as sa, after the migrations; safe to run again. sqlcmd takes $(PORTAL_LOGIN_PASSWORD) from the environment (no ' in it).
SET NOCOUNT ON;
IF NOT EXISTS (SELECT 1 FROM sys.server_principals WHERE name = N'tenantportal_app')
    CREATE LOGIN tenantportal_app WITH PASSWORD = N'$(PORTAL_LOGIN_PASSWORD)', CHECK_POLICY = ON, DEFAULT_DATABASE = TenantPortal;
ELSE
    ALTER LOGIN tenantportal_app WITH PASSWORD = N'$(PORTAL_LOGIN_PASSWORD)';
GO
USE TenantPortal;
GO
IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'tenantportal_app')
    CREATE USER tenantportal_app FOR LOGIN tenantportal_app;
ALTER ROLE db_datareader ADD MEMBER tenantportal_app;
ALTER ROLE db_datawriter ADD MEMBER tenantportal_app;
GRANT EXECUTE TO tenantportal_app;
GO
-- Hangfire's tables in schema hangfire were created by the migrate step (--migrate-only, as the deployment login): the
-- portal reads and writes their rows like its own (db_datareader and db_datawriter cover every schema; granted on the
-- schema again so that revoking those roles can't silently stop the jobs) and changes no schema: no CREATE TABLE, no ALTER.
GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON SCHEMA::hangfire TO tenantportal_app;
GO
