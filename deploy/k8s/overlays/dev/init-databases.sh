#!/bin/sh
# Runs once, when the PostgreSQL data directory is first created: one role and one database
# per service (each service owns its data; Flyway creates the tables at start-up).
set -eu
for svc in identity mfa policy; do
  password_var=$(echo "GATEKEY_${svc}_DB_PASSWORD" | tr '[:lower:]' '[:upper:]')
  eval password=\$$password_var
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set=role="gatekey_$svc" --set=password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
