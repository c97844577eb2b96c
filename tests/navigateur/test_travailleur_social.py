"""The Travailleur social at work: a new file, the duplicate check, an aid request, a rappel."""

import re

import frappe
from frappe.utils import add_days, flt, formatdate, getdate, today
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.navigateur.donnees import CONFIDENTIEL, STRUCTURE, TYPE_AIDE
from tests.navigateur.outils import (
	attendre_enregistre,
	boite,
	capture,
	champ,
	choisir,
	choisir_lien,
	controle,
	enregistrer,
	formulaire_pret,
	menu_creer,
	ouvrir,
	saisir,
	texte_visible,
)

QUESTION_DOUBLON = "Un dossier existe peut-être déjà pour cette personne"


def nouveau_dossier(page, base_url: str, nom: str, prenoms: str, naissance: str) -> None:
	ouvrir(page, base_url, "/app/beneficiaire/new")
	formulaire_pret(page, "Beneficiaire")
	saisir(page, "nom_usage", nom)
	saisir(page, "prenoms", prenoms)
	saisir(page, "date_naissance", naissance)


def test_creer_un_dossier(onglet, roles):
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, "/app/beneficiaire/new")
	formulaire_pret(page, "Beneficiaire")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Nouveau dossier")
	# Her only structure is filled in for her: nothing to choose. Checked after the save, so that a
	# missing structure also shows what saving then does.
	structure_preremplie = champ(page, "structure").input_value()
	saisir(page, "nom_usage", "Lefèvre")
	saisir(page, "prenoms", "Amélie")
	saisir(page, "date_naissance", "03/02/1984")
	capture(page, "travailleur-dossier-saisi")
	enregistrer(page)
	try:
		numero = attendre_enregistre(page, "beneficiaire")
	except AssertionError as exc:
		raise AssertionError(f"{exc}\n(structure pré-remplie : « {structure_preremplie} »)") from None
	assert structure_preremplie == STRUCTURE, f"Structure pré-remplie : « {structure_preremplie} »"

	assert re.fullmatch(r"NV-\d{5}", numero), f"Numéro de dossier inattendu : {numero}"
	expect(page.locator(".page-head:visible .title-text")).to_have_text("LEFÈVRE Amélie")
	# The file number is shown in the breadcrumbs.
	expect(page.locator("#navbar-breadcrumbs")).to_contain_text(numero)
	expect(champ(page, "structure")).to_have_value(STRUCTURE)
	expect(champ(page, "date_naissance")).to_have_value("03/02/1984")
	maintenant = getdate(today())
	age = maintenant.year - 1984 - ((maintenant.month, maintenant.day) < (2, 3))
	expect(controle(page, "age")).to_contain_text(str(age))
	capture(page, "travailleur-dossier-enregistre")

	frappe.db.rollback()  # a fresh snapshot: the web server committed the file
	assert frappe.db.get_value("Beneficiaire", numero, ["structure", "nom_complet"]) == (
		STRUCTURE,
		"LEFÈVRE Amélie",
	)


def test_doublon_probable_non_puis_oui(onglet, roles, monde_nv):
	"""The same name, first name and birth date as an existing file: the agent is asked first."""
	page = onglet("travailleur")
	nouveau_dossier(page, roles.base_url, "Durand", "Paul", "08/09/1971")
	enregistrer(page)

	question = boite(page)
	expect(question).to_contain_text(QUESTION_DOUBLON)
	expect(question).to_contain_text(f"{monde_nv.dossier_paul} — DURAND Paul")
	expect(question).to_contain_text("Enregistrer quand même ce nouveau dossier")
	capture(page, "travailleur-doublon-question")
	question.get_by_role("button", name="Non", exact=True).click()
	expect(question).to_be_hidden()
	# Nothing saved: still the new form, with what was typed.
	assert "/app/beneficiaire/new-beneficiaire-" in page.url, page.url
	assert page.evaluate("() => cur_frm.is_new()")
	expect(champ(page, "nom_usage")).to_have_value("Durand")

	enregistrer(page)
	question = boite(page)
	expect(question).to_contain_text(QUESTION_DOUBLON)
	question.get_by_role("button", name="Oui", exact=True).click()
	numero = attendre_enregistre(page, "beneficiaire")
	assert numero != monde_nv.dossier_paul
	expect(page.locator(".page-head:visible .title-text")).to_have_text("DURAND Paul")
	capture(page, "travailleur-doublon-enregistre")

	frappe.db.rollback()
	assert frappe.db.count("Beneficiaire", {"structure": STRUCTURE, "nom_complet": "DURAND Paul"}) == 2


def test_accompagnement_avec_demande_d_aide(onglet, roles, monde_nv):
	"""From the file's « Créer » menu: an accompaniment of an aid typology, then the amount asked."""
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_louis}")
	formulaire_pret(page, "Beneficiaire")
	menu_creer(page, "Accompagnement")
	formulaire_pret(page, "Accompagnement")
	expect(champ(page, "beneficiaire")).to_have_value("PETIT Louis")
	expect(controle(page, "structure")).to_contain_text(STRUCTURE)
	choisir_lien(page, "types_accompagnement", "urgence", TYPE_AIDE)
	choisir(page, "mode", "Entretien téléphonique")
	enregistrer(page)
	nom = attendre_enregistre(page, "accompagnement")

	# The typology is an aid: its section appears, the amount is typed and saved.
	aide = page.locator(".form-section:visible", has_text="Aide financière")
	expect(aide.get_by_text("Montant demandé", exact=True)).to_be_visible()
	saisir(page, "montant_demande", "250")
	enregistrer(page)
	page.wait_for_function("() => !cur_frm.is_dirty() && !frappe.ui.form.is_saving")
	capture(page, "travailleur-accompagnement-aide")

	frappe.db.rollback()
	acc = frappe.db.get_value(
		"Accompagnement", nom, ["beneficiaire", "aide_financiere", "montant_demande", "statut"], as_dict=True
	)
	assert (acc.beneficiaire, acc.aide_financiere, flt(acc.montant_demande), acc.statut) == (
		monde_nv.dossier_louis,
		1,
		250.0,
		"À traiter",
	)
	# And the file shows it in its history.
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_louis}")
	formulaire_pret(page, "Beneficiaire")
	expect(page.locator(".new-timeline:visible")).to_contain_text(f"{TYPE_AIDE} — Entretien téléphonique")


def test_un_mode_de_rendez_vous_demande_le_lieu_avant_l_enregistrement(onglet, roles, monde_nv):
	"""The modes that are an appointment come from the server (boot.py): choosing one ticks
	« Rendez-vous » and shows its place at once; a mode that is not one leaves it unticked."""
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_louis}")
	formulaire_pret(page, "Beneficiaire")
	menu_creer(page, "Accompagnement")
	formulaire_pret(page, "Accompagnement")
	choisir(page, "mode", "Courrier")
	expect(champ(page, "rendez_vous")).not_to_be_checked()
	expect(controle(page, "lieu")).to_be_hidden()
	choisir(page, "mode", "Visite à domicile")
	expect(champ(page, "rendez_vous")).to_be_checked()
	expect(controle(page, "lieu")).to_be_visible()
	capture(page, "travailleur-mode-rendez-vous")


def test_montants_au_format_francais(onglet, roles, monde_nv):
	"""An amount reads « 487,35 » (French decimal comma), never « 487.35 »."""
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/accompagnement/{monde_nv.accompagnement_rose}")
	formulaire_pret(page, "Accompagnement")
	montant = f"{CONFIDENTIEL['montant_demande']:.2f}".replace(".", ",")
	capture(page, "travailleur-montants")
	expect(champ(page, "montant_demande")).to_have_value(re.compile(rf"^(€\s?)?{montant}(\s?€)?$"))


def test_ouvrir_un_accompagnement_ne_le_modifie_pas(onglet, roles, monde_nv):
	"""Opening a saved accompaniment must not mark it « Non enregistré »."""
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/accompagnement/{monde_nv.accompagnement_leon}")
	formulaire_pret(page, "Accompagnement")
	# The controls may rewrite a value a moment after the form is shown (the time picker does).
	try:
		page.wait_for_function("() => cur_frm.is_dirty()", timeout=3000)
		modifie = True
	except PlaywrightTimeoutError:
		modifie = False
	frappe.db.rollback()
	heure = frappe.db.get_value("Accompagnement", monde_nv.accompagnement_leon, "heure")
	assert not modifie, (
		"Le formulaire s'ouvre « Non enregistré » : heure enregistrée "
		f"{heure}, heure affichée {page.evaluate('() => cur_frm.doc.heure')}"
	)


def test_rappel_depuis_une_echeance(onglet, roles, monde_nv):
	"""A due date on an accompaniment offers a rappel, pre-filled from the accompaniment."""
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/accompagnement/{monde_nv.accompagnement_leon}")
	formulaire_pret(page, "Accompagnement")
	echeance = formatdate(add_days(today(), 10), "dd/MM/yyyy")
	saisir(page, "date_echeance", echeance)
	enregistrer(page)

	question = boite(page)
	expect(question).to_contain_text(f"Créer un rappel pour l'échéance du {echeance} ?")
	capture(page, "travailleur-rappel-question")
	question.get_by_role("button", name="Oui", exact=True).click()
	formulaire_pret(page, "Rappel")
	expect(champ(page, "titre")).to_have_value("Échéance : GARNIER Léon")
	expect(champ(page, "beneficiaire")).to_have_value("GARNIER Léon")
	expect(controle(page, "structure")).to_contain_text(STRUCTURE)
	capture(page, "travailleur-rappel-nouveau")
	expect(champ(page, "date_echeance")).to_have_value(echeance)
	enregistrer(page)
	nom = attendre_enregistre(page, "rappel")
	capture(page, "travailleur-rappel-enregistre")

	frappe.db.rollback()
	rappel = frappe.db.get_value(
		"Rappel",
		nom,
		["accompagnement", "beneficiaire", "assigne_a", "statut", "date_echeance"],
		as_dict=True,
	)
	assert rappel.accompagnement == monde_nv.accompagnement_leon
	assert rappel.beneficiaire == monde_nv.dossier_leon
	assert rappel.assigne_a == monde_nv.comptes["travailleur"]
	assert rappel.statut == "À faire"
	assert formatdate(rappel.date_echeance, "dd/MM/yyyy") == echeance
	assert "GARNIER Léon" in texte_visible(page)
