"""A manager's customisations survive an update of the app (`bench migrate`).

An update of the app changes its DocType JSON files; migrate then re-imports them (the
migration_hash stored on each DocType no longer matches, frappe/modules/import_file.py) and runs the
patches, the fixtures and after_migrate. Here every app DocType's hash is made stale, so that the real
`bench migrate`, in its own process, re-imports them all, as after an update."""

import os
import subprocess
import sys

import frappe

from suivi_social.personnalisation.perimetre import doctypes_de_l_application
from tests.conftest import SITES, TEST_SITE, as_user
from tests.securite.test_outils_responsable import (
	PREFIXE,
	ajouter_champ,
	ligne,
	personnaliser,
	supprimer_les_champs_de_test,
)

# Frappe's no-code objects: an app that lists one of them in `fixtures` without a filter on its
# own records would overwrite the managers' on every migrate.
OBJETS_SANS_CODE = {
	"Custom Field",
	"Property Setter",
	"Print Format",
	"Report",
	"Notification",
	"Dashboard Chart",
	"Number Card",
	"List View Settings",
}
HASH_PERIME = "avant-mise-a-jour"


def migrer() -> subprocess.CompletedProcess:
	"""`bench --site <site> migrate`, as bench runs it (frappe.utils.bench_helper, from sites/)."""
	return subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", TEST_SITE, "migrate"],
		cwd=SITES,
		env={**os.environ, "PYTHONUNBUFFERED": "1"},
		capture_output=True,
		text=True,
		timeout=900,
	)


def test_les_fixtures_de_l_application_ne_visent_que_ses_propres_objets():
	for fixture in frappe.get_hooks("fixtures", app_name="suivi_social"):
		doctype = fixture if isinstance(fixture, str) else fixture.get("dt") or fixture.get("doctype")
		if doctype in OBJETS_SANS_CODE:
			assert isinstance(fixture, dict) and fixture.get("filters"), fixture


def test_un_champ_ajoute_et_ses_donnees_survivent_a_la_migration(monde):
	fieldname = f"{PREFIXE}migration"
	supprimer_les_champs_de_test()
	libelle_d_origine = frappe.get_meta("Beneficiaire").get_field("nom_usage").label
	try:
		with as_user(monde.resp_a):

			def changer(f):
				ajouter_champ(f, "migration")
				ligne(f, "nom_usage").label = "Nom d'usage (renommé)"

			personnaliser("Beneficiaire", changer)
		with as_user(monde.ts_a):
			ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
			ben.set(fieldname, "Valeur à conserver")
			ben.save()
		app = sorted(doctypes_de_l_application())
		frappe.db.sql("update `tabDocType` set migration_hash = %s where name in %s", (HASH_PERIME, app))
		frappe.db.commit()

		resultat = migrer()
		assert resultat.returncode == 0, resultat.stdout[-3000:] + resultat.stderr[-3000:]

		frappe.db.rollback()  # a new snapshot, that sees what migrate committed
		frappe.clear_cache()
		# The app's DocTypes were re-imported from their JSON…
		assert not frappe.get_all(
			"DocType", filters={"name": ("in", app), "migration_hash": HASH_PERIME}, pluck="name"
		)
		# …and the customisations, their column and their data are still there.
		meta = frappe.get_meta("Beneficiaire", cached=False)
		assert meta.get_field(fieldname).label == "Perso test migration"
		assert meta.get_field("nom_usage").label == "Nom d'usage (renommé)"
		assert frappe.db.get_value("Beneficiaire", monde.ben_a.name, fieldname) == "Valeur à conserver"
	finally:
		frappe.db.rollback()
		frappe.db.delete(
			"Property Setter", {"doc_type": "Beneficiaire", "field_name": "nom_usage", "property": "label"}
		)
		frappe.db.commit()
		supprimer_les_champs_de_test()
		frappe.clear_cache(doctype="Beneficiaire")
	assert frappe.get_meta("Beneficiaire", cached=False).get_field("nom_usage").label == libelle_d_origine
