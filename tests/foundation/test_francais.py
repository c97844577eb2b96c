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
		# Frappe's desk words, translated again (locale/frappe_retraduit.csv).
		("Filter By", "Filtrer par"),
		("List View", "Vue liste"),
		("Not permitted", "Non autorisé"),
		# A new form's title: toolbar.js translates the formatted "New {0}" once more.
		("New {0}", "Nouvelle fiche : {0}"),
		("Nouvelle fiche : Accompagnement", "Nouvel accompagnement"),
		("Nouvelle fiche : Bénéficiaire", "Nouveau dossier"),
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


def test_les_agents_sont_nommes_par_leur_nom():
	"""Link fields to User show the full name (install.afficher_le_nom_des_agents)."""
	meta = frappe.get_meta("User")
	assert meta.title_field == "full_name"
	assert meta.show_title_field_in_link
	from frappe.boot import get_link_title_doctypes

	assert "User" in get_link_title_doctypes()
