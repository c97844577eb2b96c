#!/usr/bin/env bash
# Builds the starting point of the upgrade test (tests/production/test_mise_a_jour.py):
#   tests/production/donnees/site-COMMIT.sql.gz  the database of a site created by the app as it was
#                                                at COMMIT (default 7374c10, issue 9, the release before
#                                                the security and RGPD work), with the data and the
#                                                manager's customisations of donnees_mise_a_jour.py;
#   tests/production/donnees/site-COMMIT.json    what donnees_mise_a_jour.releve read on it.
# The old app is taken with git archive and put first on PYTHONPATH: Frappe then loads that code
# (DocTypes, patches, hooks) instead of apps/suivi_social, for these commands only. Frappe itself is
# the pinned one (FRAPPE_REF), as at that commit. Run again after a release to move the test on:
#   scripts/fixture_mise_a_jour.sh <commit of the previous release>
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/bench-cli/bin:$ROOT/env/bin:$PATH"
COMMIT="$(git rev-parse --short "${1:-7374c10}")"
SITE="maj-fixture.localhost"
DONNEES="$ROOT/tests/production/donnees"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
git archive "$COMMIT" apps/suivi_social | tar -x -C "$T"
export PYTHONPATH="$T/apps/suivi_social:$ROOT"
# shellcheck disable=SC1091
. config/db_admin.env
[ ! -e "sites/$SITE" ] || bench drop-site "$SITE" --db-root-username "$DB_ROOT_USER" --db-root-password "$DB_ROOT_PASSWORD" \
	--no-backup --force --archived-sites-path "$T/archive" >/dev/null
bench new-site "$SITE" --db-root-username "$DB_ROOT_USER" --db-root-password "$DB_ROOT_PASSWORD" \
	--admin-password admin --install-app suivi_social >/dev/null
bench --site "$SITE" execute suivi_social.setup.site.configure_site
# Not `bench execute`: Frappe runs only the functions of installed apps (frappe.get_attr).
(cd sites && ../env/bin/python -m tests.production.donnees_mise_a_jour "$SITE" --creer) >"$DONNEES/site-$COMMIT.json"
bench --site "$SITE" backup --backup-path "$T/sauvegarde" >/dev/null
mkdir -p "$DONNEES"
cp "$T"/sauvegarde/*-database.sql.gz "$DONNEES/site-$COMMIT.sql.gz"
bench drop-site "$SITE" --db-root-username "$DB_ROOT_USER" --db-root-password "$DB_ROOT_PASSWORD" \
	--no-backup --force --archived-sites-path "$T/archive" >/dev/null
ls -l "$DONNEES/site-$COMMIT".*
