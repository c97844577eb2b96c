"""« Fusionner deux dossiers » (who may: dossiers/fusion.refus_de_fusion) and the create-time
duplicate check, on the import's matching."""

import html

import frappe
import pytest

from suivi_social.api import fusion as api_fusion
from suivi_social.api.beneficiaire import doublons_probables
from suivi_social.dossiers import fusion
from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import trouver_doublons
from suivi_social.exceptions import DonneeInvalide, DoublonProbable, FusionInterdite, HorsStructure
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


def test_un_travailleur_social_fusionne_deux_dossiers_qu_il_suit(monde):
	"""The Travailleur social has no right to delete files, yet merges two files of their structure:
	the merge's rule allows it, the absorbed file is gone and the audit entry names them."""
	garde, absorbe, accompagnement, _r = deux_dossiers(monde)
	with as_user(monde.ts_a):
		assert not frappe.has_permission("Beneficiaire", "delete", absorbe.name)
		fusion.fusionner(garde.name, absorbe.name)
	assert not frappe.db.exists("Beneficiaire", absorbe.name)
	assert frappe.db.get_value("Accompagnement", accompagnement.name, "beneficiaire") == garde.name
	audit = frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Beneficiaire", "reference_name": garde.name, "comment_type": "Info"},
		pluck="content",
	)
	assert any(f"Dossier {absorbe.name}" in c and f"par {monde.ts_a}" in c for c in audit)
	# The right to delete is not widened: deleting a file stays the Responsable's.
	autre = make_beneficiaire(monde.a, nom_usage="Sans-Lien", prenoms="Rose", date_naissance="1955-01-01")
	with as_user(monde.ts_a), pytest.raises(frappe.PermissionError):
		frappe.delete_doc("Beneficiaire", autre.name)


def admin_suivi():
	from suivi_social.roles import ADMINISTRATEUR
	from tests.factories import make_user

	return make_user("admin-suivi@test.fr", ADMINISTRATEUR)


@pytest.mark.parametrize(
	"qui, permis",
	[
		("resp_a", True),
		("ts_a", True),
		("ts_a2", True),
		("admin", True),
		("acc_a", False),
		("resp_b", False),
		("ts_b", False),
	],
)
def test_qui_peut_fusionner(monde, qui, permis):
	"""The rule, role by role, on two files of structure A: the desk's action (onload), the preview
	and the merge itself agree."""
	user = admin_suivi() if qui == "admin" else getattr(monde, qui)
	garde, absorbe, _a, _r = deux_dossiers(monde)
	with as_user(user):
		assert fusion.peut_fusionner(garde, absorbe) is permis
		if frappe.has_permission("Beneficiaire", "read", garde.name):
			doc = frappe.get_doc("Beneficiaire", garde.name)
			doc.run_method("onload")
			assert doc.get_onload().get("peut_fusionner") is permis
			apercu = api_fusion.apercu(garde.name, absorbe.name)
			assert apercu["peut_fusionner"] is permis and bool(apercu["refus"]) is not permis
		if permis:
			api_fusion.fusionner(garde.name, absorbe.name)
		else:
			with pytest.raises(FusionInterdite):
				api_fusion.fusionner(garde.name, absorbe.name)
	assert bool(frappe.db.exists("Beneficiaire", absorbe.name)) is not permis


def test_fusion_refusee_messages(monde):
	garde, absorbe, _a, _r = deux_dossiers(monde)
	with as_user(monde.acc_a), pytest.raises(FusionInterdite, match="Seuls le responsable de la structure"):
		fusion.fusionner(garde.name, absorbe.name)
	# Structure first: a file of another structure is refused before anything else.
	for user in (monde.resp_a, monde.ts_a):
		with (
			as_user(user),
			pytest.raises(FusionInterdite, match=f"Le dossier {monde.ben_b.name} n'appartient pas"),
		):
			fusion.fusionner(garde.name, monde.ben_b.name)
		with (
			as_user(user),
			pytest.raises(FusionInterdite, match="n'appartient pas à l'une de vos structures"),
		):
			fusion.fusionner(monde.ben_b.name, garde.name)
	for user in (monde.resp_b, monde.ts_b):
		with as_user(user), pytest.raises(FusionInterdite, match=f"Le dossier {garde.name} n'appartient pas"):
			fusion.fusionner(garde.name, absorbe.name)
	# Who sees every structure still merges only within one.
	with as_user(admin_suivi()), pytest.raises(HorsStructure, match="même structure"):
		fusion.fusionner(garde.name, monde.ben_b.name)
	with as_user(monde.resp_a), pytest.raises(DonneeInvalide, match="deux dossiers différents"):
		fusion.fusionner(garde.name, garde.name)
	assert frappe.db.exists("Beneficiaire", absorbe.name)
	assert frappe.db.exists("Beneficiaire", monde.ben_b.name)


def test_doublon_a_la_creation_tolerant(monde):
	"""The form's duplicate question uses the same matching: accents, case, compound first name,
	inverted day and month; a date one digit apart is a probable match, asked too."""
	existant = make_beneficiaire(
		monde.a, nom_usage="Clerc-Potier", prenoms="Tristan", date_naissance="1938-04-05"
	)
	for nom, prenoms, date in (
		("CLERC POTIER", "tristan", "1938-04-05"),
		("Clerc-Potier", "Tristan-Jean", "1938-04-05"),
		("clerc-potier", "Tristan", "1938-05-04"),
		("Clerc-Potier", "Tristan", "1938-04-06"),
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
	((proche,),) = [trouver_doublons(monde.a, "Clerc-Potier", "Tristan", "1938-04-06")]
	assert (proche.niveau, proche.raison) == ("probable", "dates de naissance à un chiffre près")
	assert trouver_doublons(monde.a, "Clerc-Potier", "Tristan", "1948-09-16") == []
	assert trouver_doublons(monde.b, "Clerc-Potier", "Tristan", "1938-04-05") == []


def test_doublon_a_la_creation_comme_a_l_import(monde):
	"""What the import's matching knows, the create-time check knows: a file typed without birth
	date, a birth name, one wrong letter settled by the phone. Each is asked before saving, with the
	import's reason; confirmed, the file is saved."""
	existant = make_beneficiaire(
		monde.a,
		nom_usage="Vasseur",
		prenoms="Odile",
		date_naissance="1947-11-23",
		telephone="0611223344",
		commune="Autun",
	)
	cas = [
		({"nom_usage": "VASSEUR", "prenoms": "Odile"}, "même nom et prénom, date de naissance absente"),
		(
			{
				"nom_usage": "Martin",
				"nom_naissance": "Vasseur",
				"prenoms": "Odile",
				"date_naissance": "1947-11-23",
			},
			"même date de naissance, noms concordants (nom de naissance et nom d'usage)",
		),
		(
			{
				"nom_usage": "Vaseur",
				"prenoms": "Odile",
				"date_naissance": "1947-11-23",
				"telephone": "06 11 22 33 44",
			},
			"même date de naissance et même téléphone (une lettre diffère dans le nom)",
		),
	]
	for valeurs, raison in cas:
		with as_user(monde.ts_a):
			trouves = doublons_probables(monde.a, **valeurs)
			assert [(d["name"], d["raison"]) for d in trouves] == [(existant.name, raison)], valeurs
			with pytest.raises(DoublonProbable) as refus:
				frappe.get_doc({"doctype": "Beneficiaire", "structure": monde.a, **valeurs}).insert()
			assert f"{existant.name} (VASSEUR Odile)</a> : {raison}" in html.unescape(str(refus.value))
			confirme = frappe.get_doc(
				{"doctype": "Beneficiaire", "structure": monde.a, "doublon_confirme": 1, **valeurs}
			).insert()
		frappe.delete_doc("Beneficiaire", confirme.name, ignore_permissions=True)


def test_doublon_a_la_creation_est_le_moteur_de_l_import(monde, monkeypatch):
	"""The create-time check asks the import's `comparer` itself: what it says, the form says."""
	from suivi_social.imports import doublons

	existant = make_beneficiaire(monde.a, nom_usage="Roux", prenoms="Anatole", date_naissance="1930-02-02")
	valeurs = {"doctype": "Beneficiaire", "structure": monde.a, "nom_usage": "Roux", "prenoms": "Anatole"}
	monkeypatch.setattr(doublons, "comparer", lambda a, b: doublons.Verdict(None))
	assert trouver_doublons(monde.a, "Roux", "Anatole", "1930-02-02") == []
	frappe.get_doc({**valeurs, "date_naissance": "1930-02-02"}).insert(ignore_permissions=True)
	monkeypatch.setattr(
		doublons, "comparer", lambda a, b: doublons.Verdict(doublons.PROBABLE, "verdict du moteur")
	)
	assert {d.raison for d in trouver_doublons(monde.a, "Roux", "Anatole", "1930-02-02")} == {
		"verdict du moteur"
	}
	with pytest.raises(DoublonProbable, match="verdict du moteur"):
		frappe.get_doc({**valeurs, "date_naissance": "1930-02-02"}).insert(ignore_permissions=True)
	assert existant.name
