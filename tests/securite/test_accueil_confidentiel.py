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


def charger_versions(user, doctype, name):
	from suivi_social import overrides

	frappe.local.response = frappe._dict(docs=[])
	with as_user(user):
		overrides.getdoc(doctype, name)
	return frappe.response.docinfo.versions


def modifier_confidentiel(monde):
	with as_user(monde.ts_a):
		acc = frappe.get_doc("Accompagnement", monde.acc_ben_a)
		acc.montant_demande = 412
		acc.compte_rendu = "<p>Dettes de loyer importantes</p>"
		acc.orientation_partenaire = "Mission locale"
		acc.save(ignore_version=False)
		ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
		ben.gir = "GIR 2"
		ben.append("ressources", {"nature": "Retraite", "montant": 987})
		ben.commune = "Testville"
		ben.save(ignore_version=False)


def test_l_historique_ne_montre_pas_les_valeurs_confidentielles(monde):
	modifier_confidentiel(monde)
	acc_versions = json_des(charger_versions(monde.acc_a, "Accompagnement", monde.acc_ben_a))
	ben_versions = json_des(charger_versions(monde.acc_a, "Beneficiaire", monde.ben_a.name))
	# What the accueil may see is still there…
	assert "Mission locale" in acc_versions
	assert "Testville" in ben_versions
	# …and nothing confidential.
	for secret in ("412", "Dettes de loyer", "montant_demande", "compte_rendu"):
		assert secret not in acc_versions, secret
	for secret in ("GIR 2", "987", "Retraite", "ressources"):
		assert secret not in ben_versions, secret


def test_le_travailleur_social_voit_tout_l_historique(monde):
	modifier_confidentiel(monde)
	acc_versions = json_des(charger_versions(monde.ts_a2, "Accompagnement", monde.acc_ben_a))
	ben_versions = json_des(charger_versions(monde.ts_a2, "Beneficiaire", monde.ben_a.name))
	assert "412" in acc_versions and "Dettes de loyer" in acc_versions
	assert "GIR 2" in ben_versions and "987" in ben_versions


def json_des(versions) -> str:
	return " ".join(v.data for v in versions)


@pytest.mark.parametrize(
	"doctype, filtre",
	[
		("Accompagnement", {"montant_demande": [">", 100]}),
		("Accompagnement", {"compte_rendu": ["like", "%Secret%"]}),
		("Beneficiaire", {"numero_securite_sociale": ["like", "2%"]}),
		("Beneficiaire", {"gir": "GIR 4"}),
	],
)
def test_pas_de_filtre_sur_un_champ_confidentiel(monde, doctype, filtre):
	"""A filter would answer the question the masked column hides."""
	with as_user(monde.acc_a):
		with pytest.raises(frappe.PermissionError):
			frappe.get_list(doctype, filters=filtre)
		# The group-by sidebar and counts go through the same query.
		with pytest.raises(frappe.PermissionError):
			frappe.get_list(doctype, filters=filtre, fields=["count(*) as total"], order_by="")
	with as_user(monde.ts_a):
		frappe.get_list(doctype, filters=filtre)


def test_les_filtres_ordinaires_restent_permis(monde):
	with as_user(monde.acc_a):
		assert frappe.get_list(
			"Accompagnement", filters={"statut": ["!=", "Annulé"], "beneficiaire": monde.ben_a.name}
		)
		assert frappe.get_list("Beneficiaire", filters={"nom_usage": "Martin"})
