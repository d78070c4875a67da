-- The portal's own SQL Server login, which is not db_owner: it reads and writes rows, executes, and keeps Hangfire's
-- tables in schema hangfire, but cannot alter or drop the row-level security policy (no db_owner, no ALTER ANY
-- SECURITY POLICY, no ALTER on schema security or dbo). Run by docker-compose.sqlserver.yml's `logins` step as sa, after
-- the migrations; safe to run again. sqlcmd takes $(PORTAL_LOGIN_PASSWORD) from the environment (no ' in it).
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
-- Hangfire creates and upgrades its tables at start-up: in schema hangfire only (CREATE TABLE needs ALTER on the schema
-- it goes into, and this login has ALTER on no other).
IF SCHEMA_ID(N'hangfire') IS NULL
    EXEC (N'CREATE SCHEMA hangfire AUTHORIZATION dbo');
GO
GRANT CREATE TABLE TO tenantportal_app;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, EXECUTE, REFERENCES ON SCHEMA::hangfire TO tenantportal_app;
GO
