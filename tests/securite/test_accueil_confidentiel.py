"""The Agent d'accueil never reads confidential fields (santé, ressources, compte rendu, montants)."""

import frappe
import pytest

from tests.conftest import as_user

CONFIDENTIELS_BENEFICIAIRE = ["numero_securite_sociale", "gir", "mesure_protection", "numero_caf_msa"]
CONFIDENTIELS_ACCOMPAGNEMENT = ["compte_rendu", "montant_demande", "montant_accorde", "motif_refus"]


def test_formulaire_et_api_masquent_les_champs(monde):
	with as_user(monde.acc_a):
		ben = frappe.client.get("Beneficiaire", monde.ben_a.name)
		acc = frappe.client.get("Accompagnement", monde.acc_ben_a)
	assert ben["nom_usage"] == "Martin"
	for field in CONFIDENTIELS_BENEFICIAIRE:
		assert not ben.get(field), field
	assert acc["statut"]
	for field in CONFIDENTIELS_ACCOMPAGNEMENT:
		assert not acc.get(field), field


def test_le_travailleur_social_les_lit(monde):
	with as_user(monde.ts_a):
		ben = frappe.client.get("Beneficiaire", monde.ben_a.name)
		acc = frappe.client.get("Accompagnement", monde.acc_ben_a)
	assert ben["numero_securite_sociale"]
	assert "Secret A" in acc["compte_rendu"]


@pytest.mark.parametrize(
	"doctype, fields",
	[("Beneficiaire", CONFIDENTIELS_BENEFICIAIRE), ("Accompagnement", CONFIDENTIELS_ACCOMPAGNEMENT)],
)
def test_liste_et_rapport_retirent_les_colonnes(monde, doctype, fields):
	with as_user(monde.acc_a):
		rows = frappe.get_list(doctype, fields=["name", *fields], limit_page_length=0)
	assert rows
	for row in rows:
		for field in fields:
			assert field not in row, field


def test_pas_d_export_pour_l_accueil(monde):
	with as_user(monde.acc_a):
		assert not frappe.has_permission("Beneficiaire", "export")
		assert not frappe.has_permission("Accompagnement", "export")


def test_compte_rendu_prive_auteur_et_delegue_seulement(monde):
	with as_user(monde.ts_a):
		note = frappe.get_doc(
			{"doctype": "Compte Rendu Prive", "accompagnement": monde.acc_ben_a, "texte": "<p>Très privé</p>"}
		).insert()
		assert note.auteur == monde.ts_a
	with as_user(monde.ts_a2):
		assert not frappe.has_permission("Compte Rendu Prive", "read", note.name)
		assert frappe.get_list("Compte Rendu Prive") == []
	with as_user(monde.resp_a):
		assert not frappe.has_permission("Compte Rendu Prive", "read", note.name)
	with as_user(monde.acc_a):
		assert not frappe.has_permission("Compte Rendu Prive", "read", note.name)
	with as_user(monde.ts_a):
		note.delegue = monde.ts_a2
		note.save()
	with as_user(monde.ts_a2):
		assert frappe.has_permission("Compte Rendu Prive", "read", note.name)
		assert [r.name for r in frappe.get_list("Compte Rendu Prive")] == [note.name]
