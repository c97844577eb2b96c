"""Rappels, the accueil's everyday actions, and the remaining field rules."""

import frappe
import pytest

from suivi_social.exceptions import DonneeInvalide, HorsStructure
from tests.conftest import as_user
from tests.dossiers.test_validations import inserer_refuse
from tests.factories import beneficiaire_values


def rappel(monde, **values):
	return {
		"doctype": "Rappel",
		"titre": "Rappeler Mme Martin",
		"date_echeance": "2026-12-01",
		"assigne_a": monde.ts_a,
		"beneficiaire": monde.ben_a.name,
		**values,
	}


def test_l_accueil_cree_un_rendez_vous_et_un_rappel_pour_un_collegue(monde):
	with as_user(monde.acc_a):
		rdv = frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": monde.ben_a.name,
				"types_accompagnement": [{"type_accompagnement": monde.type_a}],
				"date": "2026-12-10",
				"heure": "09:30:00",
				"mode": "Accueil physique sur rendez-vous",
				"statut": "Planifié",
				"agent": monde.ts_a,
			}
		).insert()
		r = frappe.get_doc(rappel(monde)).insert()
	assert rdv.structure == monde.a
	assert r.structure == monde.a and r.assigne_a == monde.ts_a


def test_le_rappel_prend_la_structure_du_dossier(monde):
	with as_user(monde.ts_a):
		r = frappe.get_doc(rappel(monde, accompagnement=monde.acc_ben_a, beneficiaire=None)).insert()
	assert r.beneficiaire == monde.ben_a.name
	assert r.structure == monde.a


def test_rappel_assigne_hors_structure(monde):
	with as_user(monde.ts_a):
		inserer_refuse(rappel(monde, assigne_a=monde.ts_b), HorsStructure, "Assigné à", "n'est pas un agent")


def test_rappel_sur_un_dossier_d_une_autre_structure(monde):
	with as_user(monde.ts_a):
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(rappel(monde, beneficiaire=monde.ben_b.name, structure=monde.b)).insert()
		# The file's structure replaces the one sent (fetch_from): still refused.
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(rappel(monde, beneficiaire=monde.ben_b.name, structure=monde.a)).insert()


def test_rappel_sans_dossier_dans_sa_structure(monde):
	with as_user(monde.ts_a):
		r = frappe.get_doc(
			rappel(monde, beneficiaire=None, structure=monde.a, titre="Réunion partenaires")
		).insert()
	assert r.structure == monde.a


def test_delegue_du_compte_rendu_prive_hors_structure(monde):
	with as_user(monde.ts_a):
		inserer_refuse(
			{
				"doctype": "Compte Rendu Prive",
				"accompagnement": monde.acc_ben_a,
				"texte": "x",
				"delegue": monde.ts_b,
			},
			HorsStructure,
			"Collègue autorisé(e)",
		)


def test_entourage_telephone_et_dossier_lie(monde):
	with as_user(monde.ts_a):
		doc = frappe.get_doc(
			beneficiaire_values(
				monde.a,
				nom_usage="Roux",
				prenoms="Paul",
				entourage=[{"lien": "Enfant", "nom": "Roux Anne", "telephone": "0612345678"}],
			)
		).insert()
		assert doc.entourage[0].telephone == "06 12 34 56 78"
		inserer_refuse(
			beneficiaire_values(
				monde.a,
				nom_usage="Roux",
				prenoms="Jeanne",
				entourage=[{"lien": "Enfant", "nom": "Bernard Jean", "beneficiaire_lie": monde.ben_b.name}],
			),
			HorsStructure,
			"Entourage, ligne 1",
		)
		inserer_refuse(
			beneficiaire_values(
				monde.a,
				nom_usage="Roux",
				prenoms="Jeanne",
				entourage=[{"lien": "Enfant", "nom": "X", "telephone": "abc"}],
			),
			DonneeInvalide,
			"Entourage, ligne 1 : Téléphone",
		)


def test_pas_de_telephone_coche_avec_un_numero(monde):
	with as_user(monde.ts_a):
		inserer_refuse(
			beneficiaire_values(monde.a, telephone="0612345678", sans_telephone=1),
			DonneeInvalide,
			"N'a pas de téléphone",
		)


@pytest.mark.parametrize("prefixe", ["a b", "É1", "X"])
def test_prefixe_de_structure_invalide(prefixe):
	inserer_refuse(
		{"doctype": "Structure", "raison_sociale": "CCAS Y", "prefixe_dossier": prefixe},
		DonneeInvalide,
		"Préfixe des numéros de dossier",
	)


def test_le_prefixe_ne_change_plus_une_fois_des_dossiers_numerotes(monde):
	structure = frappe.get_doc("Structure", monde.a)
	structure.prefixe_dossier = "ZZ"
	with pytest.raises(DonneeInvalide, match="ne peut plus changer"):
		structure.save()


def test_la_structure_d_un_dossier_ne_change_pas(monde):
	ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
	ben.structure = monde.b
	with pytest.raises(HorsStructure, match="Structure : ne peut pas changer de structure"):
		ben.save()
