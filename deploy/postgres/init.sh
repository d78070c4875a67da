#!/bin/sh
# docker-compose.yml's postgres service runs this once, when its data volume is new (/docker-entrypoint-initdb.d):
# the same database and roles as deploy/local-cluster.sh, from the same deploy/postgres/roles.sql.
set -eu
psql --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
  -v db="$TENANTPORTAL_DATABASE" -v owner="$TENANTPORTAL_OWNER_ROLE" -v app="$TENANTPORTAL_APP_ROLE" \
  -v owner_password="$TENANTPORTAL_OWNER_PASSWORD" -v app_password="$TENANTPORTAL_APP_PASSWORD" \
  -f /tenantportal/roles.sql
