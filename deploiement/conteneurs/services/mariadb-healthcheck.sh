#!/bin/bash
# The subset of the official image's healthcheck.sh that compose.yaml uses (--connect,
# --innodb_initialized): the server answers on its socket and InnoDB is up.
exec mariadb --protocol=socket -uroot -p"${MARIADB_ROOT_PASSWORD}" -e "SELECT 1 FROM information_schema.ENGINES WHERE ENGINE='InnoDB' AND SUPPORT IN ('YES','DEFAULT')" >/dev/null
