"""Every validation rule refuses bad input with a French message naming the field, and saves nothing."""

import frappe
import pytest

from suivi_social.exceptions import DonneeInvalide, DoublonProbable, HorsStructure
from tests.conftest import as_user
from tests.factories import beneficiaire_values, make_accompagnement, nir


def inserer_refuse(values: dict, exc, *fragments: str):
	doctype = values["doctype"]
	before = frappe.db.count(doctype)
	with pytest.raises(exc) as info:
		frappe.get_doc(values).insert()
	message = str(info.value)
	for fragment in fragments:
		assert fragment in message, message
	assert frappe.db.count(doctype) == before
	return message


@pytest.mark.parametrize(
	"values, fragments",
	[
		({"date_naissance": "2999-01-01"}, ["Date de naissance", "futur"]),
		({"date_naissance": "1890-01-01"}, ["Date de naissance", "120 ans"]),
		(
			{"statut": "Décédé", "date_deces": "1950-01-01"},
			["Date de décès", "précéder la date de naissance"],
		),
		({"numero_securite_sociale": "260051234567800"}, ["N° de sécurité sociale", "clé de contrôle"]),
		({"numero_securite_sociale": "2600512"}, ["N° de sécurité sociale", "15 caractères"]),
		({"code_postal": "6910"}, ["Code postal", "5 chiffres"]),
		({"telephone": "12"}, ["Téléphone", "numéro de téléphone valide"]),
		({"email": "marie.dupont@"}, ["E-mail", "adresse e-mail valide"]),
	],
)
def test_beneficiaire_refuse_les_donnees_invalides(monde, values, fragments):
	with as_user(monde.ts_a):
		inserer_refuse(beneficiaire_values(monde.a, **values), DonneeInvalide, *fragments)


def test_la_cle_du_nir_doit_correspondre_au_genre(monde):
	with as_user(monde.ts_a):
		inserer_refuse(
			beneficiaire_values(monde.a, genre="Homme", numero_securite_sociale=nir("2600512345678")),
			DonneeInvalide,
			"ne correspond pas au genre",
		)


def test_telephone_et_nir_sont_stockes_normalises(monde):
	with as_user(monde.ts_a):
		doc = frappe.get_doc(
			beneficiaire_values(
				monde.a,
				telephone="612345678",
				numero_securite_sociale="2 60 05 12 345 678 " + nir("2600512345678")[-2:],
			)
		).insert()
	assert doc.telephone == "06 12 34 56 78"
	assert doc.numero_securite_sociale == nir("2600512345678")
	assert doc.telephones_recherche == "+33612345678"
	assert doc.nom_recherche == "dupont marie"


def test_numero_de_dossier_par_structure(monde):
	with as_user(monde.ts_a):
		doc = frappe.get_doc(beneficiaire_values(monde.a, nom_usage="Petit", prenoms="Luc")).insert()
	assert doc.name.startswith("TA-")
	assert "Petit" not in doc.name


def test_referent_hors_structure(monde):
	with as_user(monde.ts_a):
		inserer_refuse(
			beneficiaire_values(monde.a, referents=[{"user": monde.ts_b}]),
			HorsStructure,
			"Référents, ligne 1",
			"n'est pas un agent de la structure",
		)


def test_doublon_probable_averti_puis_confirme(monde):
	# Same person as monde.ben_a, typed without accent and in capitals.
	with as_user(monde.ts_a):
		message = inserer_refuse(
			beneficiaire_values(monde.a, nom_usage="MARTIN", prenoms="Lea", date_naissance="1960-05-12"),
			DoublonProbable,
			"Un dossier existe peut-être déjà",
		)
		assert monde.ben_a.name in message
		confirme = frappe.get_doc(
			beneficiaire_values(
				monde.a, nom_usage="MARTIN", prenoms="Lea", date_naissance="1960-05-12", doublon_confirme=1
			)
		).insert()
	assert confirme.name != monde.ben_a.name


def test_pas_de_doublon_entre_structures(monde):
	with as_user(monde.ts_b):
		frappe.get_doc(
			beneficiaire_values(monde.b, nom_usage="Martin", prenoms="Léa", date_naissance="1960-05-12")
		).insert()


def test_structure_siret_invalide():
	inserer_refuse(
		{
			"doctype": "Structure",
			"raison_sociale": "CCAS X",
			"prefixe_dossier": "X1",
			"siret": "73282932000075",
		},
		DonneeInvalide,
		"SIRET",
		"Luhn",
	)


def accompagnement(monde, **values):
	return {
		"doctype": "Accompagnement",
		"beneficiaire": monde.ben_a.name,
		"types_accompagnement": [{"type_accompagnement": monde.aide_a}],
		"date": "2026-03-01",
		"mode": "Entretien téléphonique",
		"agent": monde.ts_a,
		**values,
	}


@pytest.mark.parametrize(
	"values, fragments",
	[
		(
			{"decision": "Refusée", "montant_demande": 200, "montant_accorde": 50},
			["Montant accordé", "refusée"],
		),
		(
			{"decision": "Accordée", "montant_demande": 200, "montant_accorde": 250},
			["Montant accordé", "dépasser"],
		),
		({"decision": "Accordée", "date_decision": "2026-02-01"}, ["Date de la décision", "précéder"]),
		(
			{"decision": "En cours d'instruction", "date_paiement": "2026-03-05"},
			["Date de paiement", "aide accordée"],
		),
		({"date_echeance": "2026-02-01"}, ["Date d'échéance", "précéder"]),
	],
)
def test_aide_statuts_et_dates_concordent(monde, values, fragments):
	with as_user(monde.ts_a):
		inserer_refuse(accompagnement(monde, **values), DonneeInvalide, *fragments)


def test_depassement_autorise_par_la_structure(monde):
	frappe.db.set_value("Structure", monde.a, "autoriser_depassement_montant", 1)
	with as_user(monde.ts_a):
		doc = frappe.get_doc(
			accompagnement(monde, decision="Accordée", montant_demande=200, montant_accorde=250)
		).insert()
	assert doc.montant_accorde == 250


def test_montant_negatif_refuse(monde):
	with as_user(monde.ts_a):
		inserer_refuse(
			accompagnement(monde, montant_demande=-10), DonneeInvalide, "Montant demandé", "négatif"
		)


def test_typologie_inconnue(monde):
	with as_user(monde.ts_a):
		inserer_refuse(
			accompagnement(monde, types_accompagnement=[{"type_accompagnement": "n-existe-pas"}]),
			frappe.LinkValidationError,
		)
	# Frappe's own check, in French, names the row and the field.
	message = frappe.local.message_log[-1]["message"]
	assert (
		"Impossible de trouver" in message
		and "Type d'accompagnement" in message
		and "n-existe-pas" in message
	)


def test_typologie_d_une_autre_structure(monde):
	with as_user(monde.ts_a):
		inserer_refuse(
			accompagnement(monde, types_accompagnement=[{"type_accompagnement": monde.type_b}]),
			HorsStructure,
			"Types d'accompagnement, ligne 1",
			"autre structure",
		)


def test_typologie_inactive_refusee(monde):
	frappe.db.set_value("Type Accompagnement", monde.type_a, "actif", 0)
	with as_user(monde.ts_a):
		inserer_refuse(
			accompagnement(monde, types_accompagnement=[{"type_accompagnement": monde.type_a}]),
			DonneeInvalide,
			"n'est plus actif",
		)


def test_la_structure_vient_du_beneficiaire(monde):
	# A structure sent by the client is replaced by the file's (fetch_from), never trusted.
	with as_user(monde.ts_a):
		doc = frappe.get_doc(accompagnement(monde, structure=monde.b)).insert()
	assert doc.structure == monde.a
	assert doc.aide_financiere == 1


def test_synthese_du_dossier(monde):
	en_cours = frappe.db.get_value("Beneficiaire", monde.ben_a.name, "demandes_en_cours")
	make_accompagnement(
		monde.ben_a.name, monde.type_a, monde.ts_a, statut="Planifié", date="2099-01-01", heure="10:00"
	)
	make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a, statut="En cours", date="2026-02-20")
	make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a, statut="Terminé", date="2026-02-10")
	ben = frappe.get_doc("Beneficiaire", monde.ben_a.name)
	assert str(ben.prochain_rendez_vous).startswith("2099-01-01 10:00")
	assert str(ben.dernier_contact) == "2026-02-20"
	assert ben.demandes_en_cours == en_cours + 1
	assert ben.age >= 66


def test_le_formulaire_annonce_le_doublon_avant_d_enregistrer(monde):
	from suivi_social.api.beneficiaire import doublons_probables

	with as_user(monde.acc_a):
		trouves = doublons_probables(monde.a, "martin", "LEA", "1960-05-12")
		assert [d["name"] for d in trouves] == [monde.ben_a.name]
		assert doublons_probables(monde.a, "martin", "LEA", "1960-05-12", name=monde.ben_a.name) == []
		with pytest.raises(frappe.PermissionError):
			doublons_probables(monde.b, "bernard", "jean", "1970-01-01")


def test_le_rendez_vous_passe_est_remplace_chaque_jour(monde):
	from suivi_social.dossiers.doctype.beneficiaire.beneficiaire import rafraichir_syntheses_echues

	make_accompagnement(
		monde.ben_a.name, monde.type_a, monde.ts_a, statut="Planifié", date="2099-03-01", heure="09:00"
	)
	frappe.db.set_value("Beneficiaire", monde.ben_a.name, "prochain_rendez_vous", "2020-01-01 10:00:00")
	rafraichir_syntheses_echues(valider=False)
	assert str(frappe.db.get_value("Beneficiaire", monde.ben_a.name, "prochain_rendez_vous")).startswith(
		"2099-03-01 09:00"
	)
	assert (
		"suivi_social.dossiers.doctype.beneficiaire.beneficiaire.rafraichir_syntheses_echues"
		in frappe.get_hooks("scheduler_events")["daily"]
	)
