"""The Agent d'accueil opens a file and an aid full of confidential values: she sees who the person
is and where the request stands, never a confidential value nor the label of a confidential field.

Values are checked everywhere the browser holds them (visible text, the whole DOM, every API
response of the page); labels on what she can read (the form keeps hidden sections in its DOM)."""

import re

import pytest
from playwright.sync_api import expect

from tests.navigateur.donnees import CONFIDENTIEL, TYPE_AIDE
from tests.navigateur.outils import capture, formulaire_pret, ouvrir, texte_visible


def montants(*valeurs: float) -> list[str]:
	return [f"{v:.2f}".replace(".", sep) for v in valeurs for sep in (",", ".")]


VALEURS_DOSSIER = [
	CONFIDENTIEL["nir"],
	CONFIDENTIEL["nir"][:13],
	CONFIDENTIEL["sante_informations"],
	CONFIDENTIEL["medecin_traitant"],
	CONFIDENTIEL["mutuelle"],
	CONFIDENTIEL["mandataire"],
	CONFIDENTIEL["numero_caf_msa"],
	CONFIDENTIEL["numero_france_travail"],
]
# Options of select fields: the form's metadata lists them all, so they are looked for in what is
# displayed and in the document the server sent, not in the whole page.
CHOIX_DOSSIER = ["Curatelle renforcée", "GIR 4", "Retraité(e)"]
LIBELLES_DOSSIER = [
	"N° de sécurité sociale",
	"Santé et protection",
	"Ressources",
	"Ressources mensuelles",
	"Médecin traitant",
	"Mutuelle / complémentaire santé",
	"Autres informations de santé",
	"Protection juridique",
	"Mesure de protection",
	"Mandataire",
	"GIR",
	"Catégorie socio-professionnelle",
	"N° allocataire CAF / MSA",
	"N° France Travail",
	"Organismes de retraite",
]
VALEURS_ACCOMPAGNEMENT = [
	CONFIDENTIEL["compte_rendu"],
	"Habitat Lumière",
	CONFIDENTIEL["compte_rendu_prive"],
	"juge des tutelles",
	*montants(CONFIDENTIEL["montant_demande"], CONFIDENTIEL["montant_accorde"]),
]
CHOIX_ACCOMPAGNEMENT = ["Virement"]
LIBELLES_ACCOMPAGNEMENT = [
	"Compte rendu",
	"Compte rendu privé",
	"Montant demandé",
	"Montant accordé",
	"Motif du refus",
	"Mode de paiement",
	"Date de paiement",
]


def verifier_rien_de_confidentiel(page, surveillance, valeurs, choix, libelles):
	visible = texte_visible(page)
	documents = [(url, corps) for url, corps in surveillance.reponses if "form.load.getdoc?" in url]
	assert documents, "Le document n'a pas été chargé par frappe.desk.form.load.getdoc"
	dom = page.content()
	sans_espaces = re.sub(r"\s", "", visible + dom)
	for valeur in valeurs:
		assert valeur not in visible, f"Valeur confidentielle affichée : « {valeur} »"
		assert valeur not in dom, f"Valeur confidentielle présente dans la page : « {valeur} »"
		assert re.sub(r"\s", "", valeur) not in sans_espaces, f"Valeur confidentielle : « {valeur} »"
		for url, corps in surveillance.reponses:
			assert valeur not in corps, f"Valeur confidentielle « {valeur} » reçue par le navigateur ({url})"
	for valeur in choix:
		assert valeur not in visible, f"Valeur confidentielle affichée : « {valeur} »"
		for url, corps in documents:
			assert valeur not in corps, f"Valeur confidentielle « {valeur} » reçue par le navigateur ({url})"
	lignes = visible.splitlines()
	for libelle in libelles:
		assert not any(
			re.search(rf"(?<!\w){re.escape(libelle)}(?!\w)", ligne) for ligne in lignes
		), f"Libellé confidentiel affiché : « {libelle} »"


@pytest.fixture
def accueil(onglet, roles):
	page = onglet("accueil")
	return page, roles.surveillances[page]


def test_dossier_sans_informations_confidentielles(accueil, roles, monde_nv):
	page, surveillance = accueil
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_rose}")
	formulaire_pret(page, "Beneficiaire")
	# What reception needs is there.
	expect(page.locator(".page-head:visible .title-text")).to_have_text("SECRET Rose")
	expect(page.locator("input[data-fieldname='date_naissance']:visible")).to_have_value("14/03/1955")
	expect(page.locator(".new-timeline:visible")).to_contain_text(TYPE_AIDE)
	capture(page, "accueil-dossier")
	verifier_rien_de_confidentiel(page, surveillance, VALEURS_DOSSIER, CHOIX_DOSSIER, LIBELLES_DOSSIER)


def test_accompagnement_sans_informations_confidentielles(accueil, roles, monde_nv):
	page, surveillance = accueil
	ouvrir(page, roles.base_url, f"/app/accompagnement/{monde_nv.accompagnement_rose}")
	formulaire_pret(page, "Accompagnement")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("SECRET Rose")
	# Where the request stands is not confidential.
	expect(page.locator("select[data-fieldname='decision']:visible")).to_have_value("Accordée partiellement")
	capture(page, "accueil-accompagnement")
	verifier_rien_de_confidentiel(
		page, surveillance, VALEURS_ACCOMPAGNEMENT, CHOIX_ACCOMPAGNEMENT, LIBELLES_ACCOMPAGNEMENT
	)
