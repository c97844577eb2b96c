"""Appointments and their outcome, kept coherent with the accompaniment's statut
(Accompagnement.validate_rendez_vous), and the patch for accompaniments recorded before."""

import frappe
import pytest
from frappe.utils import add_days, today

from suivi_social.exceptions import DonneeInvalide
from tests.conftest import as_user

PASSE = "2026-01-15"


def nouveau(monde, **valeurs):
	with as_user(monde.ts_a):
		return frappe.get_doc(
			{
				"doctype": "Accompagnement",
				"beneficiaire": monde.ben_a.name,
				"types_accompagnement": [{"type_accompagnement": monde.type_a}],
				"date": PASSE,
				"agent": monde.ts_a,
				"mode": "Entretien téléphonique",
				**valeurs,
			}
		).insert()


def enregistrer(monde, doc, **valeurs):
	with as_user(monde.ts_a):
		doc = frappe.get_doc("Accompagnement", doc.name)
		doc.update(valeurs)
		doc.save()
	return doc


@pytest.mark.parametrize(
	"mode, statut, attendu",
	[
		("Visite à domicile", "Terminé", 1),
		("Accueil physique sur rendez-vous", "À traiter", 1),
		("Rendez-vous extérieur", "Terminé", 1),
		("Entretien téléphonique", "Planifié", 1),
		("Entretien téléphonique", "Terminé", 0),
		("Accueil physique spontané", "En cours", 0),
	],
)
def test_rendez_vous_d_office(monde, mode, statut, attendu):
	doc = nouveau(monde, mode=mode, statut=statut, heure="10:00:00")
	assert doc.rendez_vous == attendu


def test_rendez_vous_coche_a_la_main_et_issue_reservee_aux_rendez_vous(monde):
	assert (
		nouveau(monde, rendez_vous=1, statut="Terminé", issue_rendez_vous="Honoré").issue_rendez_vous
		== "Honoré"
	)
	sans = nouveau(monde, statut="Terminé", issue_rendez_vous="Honoré")
	assert (sans.rendez_vous, sans.issue_rendez_vous) == (0, None)


def test_annule_dans_les_deux_sens(monde):
	doc = nouveau(monde, mode="Visite à domicile", statut="Annulé")
	assert doc.issue_rendez_vous == "Annulé"
	doc = enregistrer(monde, doc, statut="En cours")
	assert not doc.issue_rendez_vous
	doc = enregistrer(monde, doc, issue_rendez_vous="Annulé")
	assert doc.statut == "Annulé"
	doc = enregistrer(monde, doc, issue_rendez_vous="Honoré")
	assert doc.statut == "Terminé"


def test_issue_notee_d_un_rendez_vous_planifie(monde):
	doc = nouveau(monde, mode="Visite à domicile", statut="Planifié")
	assert (doc.statut, doc.issue_rendez_vous or None) == ("Planifié", None)
	doc = enregistrer(monde, doc, issue_rendez_vous="Non honoré")
	assert doc.statut == "Terminé"
	# Planned again: the outcome of the previous date no longer holds.
	doc = enregistrer(monde, doc, statut="Planifié", date=add_days(today(), 3))
	assert (doc.statut, doc.issue_rendez_vous or None) == ("Planifié", None)


def test_pas_d_issue_pour_un_rendez_vous_a_venir(monde):
	with pytest.raises(DonneeInvalide, match="un rendez-vous à venir ne peut pas être « Honoré »"):
		nouveau(
			monde,
			mode="Visite à domicile",
			statut="Planifié",
			date=add_days(today(), 2),
			issue_rendez_vous="Honoré",
		)


def test_patch_des_accompagnements_anterieurs(monde):
	from suivi_social.patches.v0_1 import rendez_vous_des_accompagnements

	visite = nouveau(monde, mode="Visite à domicile", statut="Terminé")
	annule = nouveau(monde, mode="Accueil physique sur rendez-vous", statut="Annulé", heure="09:00:00")
	telephone = nouveau(monde, statut="Terminé")
	# As recorded before the fields existed.
	for doc in (visite, annule, telephone):
		frappe.db.set_value("Accompagnement", doc.name, {"rendez_vous": 0, "issue_rendez_vous": None})
	rendez_vous_des_accompagnements.execute()
	valeurs = {
		doc.name: tuple(frappe.db.get_value("Accompagnement", doc.name, ["rendez_vous", "issue_rendez_vous"]))
		for doc in (visite, annule, telephone)
	}
	assert valeurs == {visite.name: (1, None), annule.name: (1, "Annulé"), telephone.name: (0, None)}
