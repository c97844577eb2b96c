#!/bin/bash
# First start: create the system tables and give root the password MARIADB_ROOT_PASSWORD, from any
# host (as the official image does). Then run the server in the foreground, options from the command.
set -euo pipefail
: "${MARIADB_ROOT_PASSWORD:?MARIADB_ROOT_PASSWORD manquant}"
if [ ! -d /var/lib/mysql/mysql ]; then
	mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >/dev/null
	mariadbd --user=mysql --skip-networking --socket=/run/mysqld/init.sock &
	pid=$!
	for _ in $(seq 60); do mariadb-admin --socket=/run/mysqld/init.sock ping >/dev/null 2>&1 && break; sleep 1; done
	mariadb --socket=/run/mysqld/init.sock <<SQL
ALTER USER 'root'@'localhost' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD}';
CREATE USER 'root'@'%' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
	kill "$pid"
	wait "$pid" || true
fi
exec mariadbd --user=mysql --bind-address=0.0.0.0 --skip-name-resolve "$@"
