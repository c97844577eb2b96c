"""« Fusionner deux dossiers » and the create-time duplicate check, on the import's matching."""

import frappe
import pytest

from suivi_social.api import fusion as api_fusion
from suivi_social.dossiers import fusion
from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import trouver_doublons
from suivi_social.exceptions import DonneeInvalide, DoublonProbable
from tests.conftest import as_user
from tests.factories import make_accompagnement, make_beneficiaire


def deux_dossiers(monde):
	garde = make_beneficiaire(
		monde.a, nom_usage="Lévêque", prenoms="Marie-Claire", date_naissance="1944-03-02"
	)
	absorbe = frappe.get_doc(
		{
			"doctype": "Beneficiaire",
			"structure": monde.a,
			"nom_usage": "LEVEQUE",
			"prenoms": "Marie",
			"date_naissance": "1944-03-02",
			"telephone": "0612345678",
			"commune": "Autun",
			"doublon_confirme": 1,
			"referents": [{"user": monde.ts_a}],
		}
	).insert(ignore_permissions=True)
	accompagnement = make_accompagnement(absorbe.name, monde.type_a, monde.ts_a)
	rappel = frappe.get_doc(
		{
			"doctype": "Rappel",
			"titre": "Relancer",
			"date_echeance": "2026-12-01",
			"assigne_a": monde.ts_a,
			"beneficiaire": absorbe.name,
			"structure": monde.a,
		}
	).insert(ignore_permissions=True)
	return garde, absorbe, accompagnement, rappel


def test_candidats_et_fusion(monde):
	garde, absorbe, accompagnement, rappel = deux_dossiers(monde)
	with as_user(monde.resp_a):
		candidats = api_fusion.candidats(garde.name)
		assert [(c["name"], c["niveau"]) for c in candidats] == [(absorbe.name, "certain")]
		api_fusion.fusionner(garde.name, absorbe.name)
	assert not frappe.db.exists("Beneficiaire", absorbe.name)
	assert frappe.db.get_value(
		"Accompagnement", accompagnement.name, ["beneficiaire", "nom_beneficiaire"]
	) == (
		garde.name,
		"LÉVÊQUE Marie-Claire",
	)
	assert frappe.db.get_value("Rappel", rappel.name, "beneficiaire") == garde.name
	garde.reload()
	# Empty fields filled, what the kept file held kept, référents carried over.
	assert (garde.telephone, garde.commune, garde.prenoms) == ("06 12 34 56 78", "Autun", "Marie-Claire")
	assert [r.user for r in garde.referents] == [monde.ts_a]
	assert garde.dernier_contact
	commentaire = frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Beneficiaire", "reference_name": garde.name, "comment_type": "Info"},
		pluck="content",
	)
	assert any(
		f"Dossier {absorbe.name}" in c
		and "fusionné dans ce dossier par resp-a@test.fr" in c
		and "1 accompagnements" in c
		for c in commentaire
	)


def test_fusion_refusee(monde):
	garde, absorbe, _a, _r = deux_dossiers(monde)
	with as_user(monde.ts_a), pytest.raises(frappe.PermissionError):
		fusion.fusionner(garde.name, absorbe.name)
	with as_user(monde.resp_b), pytest.raises(frappe.PermissionError):
		fusion.fusionner(garde.name, absorbe.name)
	with as_user(monde.resp_a), pytest.raises(DonneeInvalide, match="même structure"):
		fusion.fusionner(garde.name, monde.ben_b.name)
	assert frappe.db.exists("Beneficiaire", absorbe.name)


def test_doublon_a_la_creation_tolerant(monde):
	"""The form's duplicate question uses the same matching: accents, case, compound first name,
	inverted day and month."""
	existant = make_beneficiaire(
		monde.a, nom_usage="Clerc-Potier", prenoms="Tristan", date_naissance="1938-04-05"
	)
	for nom, prenoms, date in (
		("CLERC POTIER", "tristan", "1938-04-05"),
		("Clerc-Potier", "Tristan-Jean", "1938-04-05"),
		("clerc-potier", "Tristan", "1938-05-04"),
	):
		assert [d.name for d in trouver_doublons(monde.a, nom, prenoms, date)] == [existant.name]
		with pytest.raises(DoublonProbable):
			frappe.get_doc(
				{
					"doctype": "Beneficiaire",
					"structure": monde.a,
					"nom_usage": nom,
					"prenoms": prenoms,
					"date_naissance": date,
				}
			).insert(ignore_permissions=True)
	assert trouver_doublons(monde.a, "Clerc-Potier", "Tristan", "1938-04-06") == []
	assert trouver_doublons(monde.b, "Clerc-Potier", "Tristan", "1938-04-05") == []
