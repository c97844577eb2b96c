"""The desk speaks French: our ASCII DocType names and the clashing Frappe strings are translated."""

import frappe
import pytest
from frappe import _


@pytest.fixture
def en_francais():
	frappe.cache.delete_value("lang_full_dict")
	frappe.local.lang_full_dict = None
	previous, frappe.local.lang = frappe.local.lang, "fr"
	yield
	frappe.local.lang = previous
	frappe.local.lang_full_dict = None


@pytest.mark.parametrize(
	"msgid, francais",
	[
		("Beneficiaire", "Bénéficiaire"),
		("Type Accompagnement", "Type d'accompagnement"),
		("Compte Rendu Prive", "Compte rendu privé"),
		("Reminder", "Rappel personnel"),
		("Save", "Enregistrer"),
		("You viewed this", "Vous avez consulté ce document"),
		("Import Classeur", "Import de classeur"),
		("Modele Import", "Modèle d'import"),
	],
)
def test_noms_en_francais(en_francais, msgid, francais):
	assert _(msgid) == francais


def test_toutes_nos_doctypes_ont_un_nom_francais(en_francais):
	"""Every DocType whose name lost its accents (ASCII rule) gets a French name."""
	for name in frappe.get_all(
		"DocType",
		filters={"module": ("in", ["Structures", "Dossiers", "Imports", "Continuite"])},
		pluck="name",
	):
		# already French
		if name not in ("Structure", "Rappel", "Accompagnement", "Absence", "Effacement RGPD"):
			assert _(name) != name, name
