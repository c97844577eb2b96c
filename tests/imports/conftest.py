"""Fixtures of the import tests: a structure of their own, committed once and kept empty (every
test rolls back), its responsable and an agent; the files an import writes on disk are removed."""

import os
from types import SimpleNamespace

import pytest

# Figures measured against the ground truth, shown at the end of every run (also in CI's log).
MESURES: list[str] = []


def pytest_terminal_summary(terminalreporter):
	if MESURES:
		terminalreporter.section("Import des classeurs : qualité mesurée")
		for ligne in MESURES:
			terminalreporter.write_line(ligne)


@pytest.fixture(scope="session")
def _structure_import(frappe_site):
	from suivi_social.roles import RESPONSABLE, TRAVAILLEUR_SOCIAL
	from tests.factories import make_structure, make_user

	nom = make_structure("CIAS Import Échantillon", "IMPE")
	monde = SimpleNamespace(
		nom=nom,
		resp=make_user("resp-import@test.fr", RESPONSABLE, structures=(nom,)),
		ts=make_user("ts-import@test.fr", TRAVAILLEUR_SOCIAL, structures=(nom,)),
	)
	frappe_site.db.commit()
	return monde


@pytest.fixture
def structure_import(_structure_import, rollback, fichiers_ecrits):
	return _structure_import


@pytest.fixture
def fichiers_ecrits(frappe_site):
	"""Files written on disk by the test's File records (they outlive the rollback): removed,
	unless a committed File record uses them."""
	frappe = frappe_site
	avant = set(frappe.db.sql_list("select name from `tabFile`"))
	yield
	nouveaux = frappe.get_all(
		"File", filters={"name": ("not in", list(avant) or [""])}, fields=["file_url", "is_private"]
	)
	chemins = set()
	for fichier in nouveaux:
		if fichier.file_url and fichier.file_url.startswith(("/private/files/", "/files/")):
			chemins.add(fichier.file_url)
	frappe.db.rollback()
	for url in chemins:
		if frappe.db.exists("File", {"file_url": url}):
			continue
		chemin = (
			frappe.get_site_path(url.lstrip("/"))
			if url.startswith("/private")
			else frappe.get_site_path("public", url.lstrip("/"))
		)
		if os.path.exists(chemin):
			os.remove(chemin)


@pytest.fixture(autouse=True)
def messages_effaces(frappe_site):
	"""The refusals these tests provoke leave their messages in frappe.message_log: cleared, so
	that no later test reads them as its own."""
	yield
	frappe_site.local.message_log = []
