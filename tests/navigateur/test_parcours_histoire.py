"""One person's story through the desk, each step as the role that does it (issue 11 §1, journeys
a to d and f): the steps are the tests of this module, in order, and share the module-scoped
`histoire` (what a step created, for the next one); a step whose predecessor failed is skipped.

1. The Responsable creates a typology (an aid), adds a field to the files with Customize Form, and
   invites a colleague at the reception desk (test_responsable.py and test_personnalisation.py do
   each of these on their own: their helpers are called here).
2. The invited colleague opens her first-login link, chooses her password and reaches the desk.
3. The Travailleur social opens the person's file (the Responsable's field filled in), records an
   accompaniment of the new typology with an aid request, plans an appointment and sets a rappel
   due today: all through the forms, links chosen in their dropdowns, saved with Ctrl+S.
4. The colleague, at the Accueil screen, finds the person by a misspelt name and by phone, reads
   the next appointment and no confidential value, and leaves a message for the référent.
5. The rappel and the message reach the Travailleur social: the morning job
   (dossiers/rappels_du_matin.py, run here as the scheduler would) rings the bell of the open desk.
6. The Responsable reads the workspace figures and downloads the yearly report, where the new
   typology's accompaniment counts.

What the story creates lives in « CCAS Navigateur » and goes with the next session's nettoyer();
the added field is removed at the end of the module, so the other tests see the form as shipped.
"""

import io
import re
from urllib.parse import urlsplit

import frappe
import pytest
from frappe.utils import add_days, flt, formatdate, getdate, today
from openpyxl import load_workbook
from playwright.sync_api import expect

from suivi_social.roles import AGENT_ACCUEIL
from tests.navigateur.donnees import DOMAINE, STRUCTURE
from tests.navigateur.outils import (
	attendre_desk,
	attendre_enregistre,
	attendre_requetes,
	boite,
	capture,
	champ,
	choisir,
	choisir_lien,
	controle,
	formulaire_pret,
	menu_creer,
	ouvrir,
	saisir,
	texte_visible,
)
from tests.navigateur.test_page_accueil import chercher, verifier_rien_de_confidentiel
from tests.navigateur.test_personnalisation import (
	ajouter_un_champ_texte,
	personnaliser_le_formulaire,
	supprimer_le_champ,
)
from tests.navigateur.test_responsable import creer_un_type_d_accompagnement, inviter_un_collegue
from tests.navigateur.test_statistiques import (
	attendre_les_barres,
	attendre_les_chiffres,
	carte,
	chiffres_de_la_structure,
)

TYPOLOGIE = "Aide à la mobilité"
LIBELLE_CHAMP = "Bailleur"
CHAMP = "custom_bailleur"
COLLEGUE = f"nv-jeanne.roux@{DOMAINE}"
MOT_DE_PASSE_COLLEGUE = "Accueil-Roux!2026-Qz7"
NOM, PRENOMS, NAISSANCE = "Carpentier", "Yvette", "17/06/1958"
NOM_COMPLET = "CARPENTIER Yvette"
TELEPHONE = "06 71 42 58 93"
COMPTE_RENDU = "Dette de transport : trois amendes impayées à la régie des bus"
MONTANT = "183,40"
LIEU = "Bureau 2, rez-de-chaussée"
TITRE_RAPPEL = "Vérifier le justificatif de domicile de Mme Carpentier"
MESSAGE = "Mme Carpentier passera vendredi déposer son attestation de la régie."


@pytest.fixture(scope="module")
def histoire(monde_nv):
	"""What each step leaves to the next; the Responsable's field removed before and after."""
	supprimer_le_champ(CHAMP)
	etat = {}
	yield etat
	frappe.db.rollback()
	for rappel in etat.get("rappels", ()):
		frappe.db.delete("Notification Log", {"document_type": "Rappel", "document_name": rappel})
	frappe.db.commit()
	supprimer_le_champ(CHAMP)


def etape_precedente(histoire: dict, *cles: str) -> None:
	manque = [c for c in cles if c not in histoire]
	if manque:
		pytest.skip(f"Étape précédente de l'histoire en échec (manque : {', '.join(manque)})")


def enregistrer_au_clavier(page) -> None:
	page.keyboard.press("Control+s")


def onglet_du_formulaire(page, libelle: str) -> None:
	page.locator(".form-tabs-list:visible .nav-link", has_text=libelle).click()


def test_1_le_responsable_prepare_sa_structure(onglet, roles, histoire):
	page = onglet("responsable")
	histoire["typologie"] = creer_un_type_d_accompagnement(
		page, roles.base_url, TYPOLOGIE, "parcours-1-responsable-typologie"
	)

	personnaliser_le_formulaire(page, roles.base_url, "Beneficiaire")
	page.wait_for_function(
		"() => cur_frm.doc.doc_type === 'Beneficiaire' && document.querySelector('.form-builder-container .column')"
	)
	attendre_requetes(page)
	ajouter_un_champ_texte(page, LIBELLE_CHAMP, "parcours-1-responsable-champ")
	frappe.db.rollback()
	assert frappe.db.exists("Custom Field", {"dt": "Beneficiaire", "fieldname": CHAMP})
	histoire["champ"] = CHAMP

	histoire["lien"] = inviter_un_collegue(
		page, roles.base_url, COLLEGUE, "Jeanne", "Roux", AGENT_ACCUEIL, "parcours-1-responsable"
	)


def test_2_la_collegue_invitee_choisit_son_mot_de_passe(roles, histoire):
	"""The first-login link, in a browser of her own: the password page in French, then the desk."""
	etape_precedente(histoire, "lien")
	context = roles.nouveau_contexte()
	page = roles.page(context)
	lien = urlsplit(histoire["lien"])
	page.goto(f"{roles.base_url}{lien.path}?{lien.query}")
	# Frappe's own French, capitalised in the English way (« Nouveau Mot de Passe »): left to fr.po.
	expect(page.locator("#new_password")).to_have_attribute(
		"placeholder", re.compile(r"^\s*Nouveau mot de passe\s*$", re.IGNORECASE)
	)
	# Typed: the page checks the strength and the match on each key.
	page.locator("#new_password").press_sequentially(MOT_DE_PASSE_COLLEGUE, delay=10)
	page.locator("#confirm_password").press_sequentially(MOT_DE_PASSE_COLLEGUE, delay=10)
	bouton = page.locator("#update")
	expect(bouton).to_be_enabled()
	capture(page, "parcours-2-collegue-mot-de-passe")
	bouton.click()
	page.wait_for_url(re.compile(r"/app(/|$)"))
	attendre_desk(page)
	expect(page.locator(".navbar .avatar-frame").first).to_have_attribute("title", "Jeanne Roux")
	capture(page, "parcours-2-collegue-premiere-connexion")
	roles.surveillances.pop(page).verifier()
	page.close()
	# Her context is the one of the following steps (the `onglet` fixture opens its pages).
	roles.contextes["collegue"] = context
	histoire["collegue"] = COLLEGUE


def test_3_le_travailleur_social_ouvre_le_dossier_et_l_accompagne(onglet, roles, histoire):
	etape_precedente(histoire, "typologie", "champ")
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, "/app/beneficiaire/new")
	formulaire_pret(page, "Beneficiaire")
	saisir(page, "nom_usage", NOM)
	saisir(page, "prenoms", PRENOMS)
	saisir(page, "date_naissance", NAISSANCE)
	choisir_lien(page, "referents", "Théo", "Théo Navigateur")
	# The Responsable's field, with its label, in the first tab.
	expect(controle(page, CHAMP).locator(".control-label")).to_have_text(LIBELLE_CHAMP)
	saisir(page, CHAMP, "Habitat Lumière")
	onglet_du_formulaire(page, "Contact et situation")
	saisir(page, "telephone", TELEPHONE)
	capture(page, "parcours-3-travailleur-dossier-saisi")
	enregistrer_au_clavier(page)
	dossier = attendre_enregistre(page, "beneficiaire")
	expect(page.locator(".page-head:visible .title-text")).to_have_text(NOM_COMPLET)
	histoire["dossier"] = dossier

	# An accompaniment of the new typology, from the file's « Créer » menu.
	menu_creer(page, "Accompagnement")
	formulaire_pret(page, "Accompagnement")
	expect(champ(page, "beneficiaire")).to_have_value(NOM_COMPLET)
	choisir_lien(page, "types_accompagnement", "mobilit", TYPOLOGIE)
	choisir(page, "mode", "Accueil physique spontané")
	saisir(page, "objet", "Demande d'aide pour l'abonnement de bus")
	editeur = page.locator(".frappe-control[data-fieldname='compte_rendu'] .ql-editor:visible")
	editeur.click()
	editeur.press_sequentially(COMPTE_RENDU, delay=5)
	# The text editor hands its text to the form after a pause (a debounce of Frappe's control).
	page.wait_for_function("(t) => (cur_frm.doc.compte_rendu || '').includes(t)", arg=COMPTE_RENDU)
	enregistrer_au_clavier(page)
	aide = attendre_enregistre(page, "accompagnement")
	# The typology is an aid: its section is there, the amount asked is typed and saved.
	section = page.locator(".form-section:visible", has_text="Aide financière")
	expect(section.get_by_text("Montant demandé", exact=True)).to_be_visible()
	saisir(page, "montant_demande", MONTANT)
	enregistrer_au_clavier(page)
	page.wait_for_function("() => !cur_frm.is_dirty() && !frappe.ui.form.is_saving")
	expect(champ(page, "montant_demande")).to_have_value(re.compile(rf"^(€\s?)?{MONTANT}(\s?€)?$"))
	# The change is in the form's history, in French (Frappe's timeline is untranslated).
	expect(
		page.locator(".timeline-content", has_text="Vous avez modifié Montant demandé").first
	).to_be_visible()
	capture(page, "parcours-3-travailleur-demande-d-aide")
	histoire["aide"] = aide

	# An appointment in three days.
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{dossier}")
	formulaire_pret(page, "Beneficiaire")
	menu_creer(page, "Rendez-vous")
	formulaire_pret(page, "Accompagnement")
	expect(champ(page, "statut")).to_have_value("Planifié")
	choisir_lien(page, "types_accompagnement", "mobilit", TYPOLOGIE)
	choisir(page, "mode", "Accueil physique sur rendez-vous")
	jour = formatdate(add_days(today(), 3), "dd/MM/yyyy")
	saisir(page, "date", jour)
	saisir(page, "heure", "10:30")
	saisir(page, "lieu", LIEU)
	enregistrer_au_clavier(page)
	histoire["rendez_vous"] = attendre_enregistre(page, "accompagnement")
	histoire["jour"] = jour
	capture(page, "parcours-3-travailleur-rendez-vous")

	# A rappel due today.
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{dossier}")
	formulaire_pret(page, "Beneficiaire")
	menu_creer(page, "Rappel")
	formulaire_pret(page, "Rappel")
	expect(champ(page, "beneficiaire")).to_have_value(NOM_COMPLET)
	saisir(page, "titre", TITRE_RAPPEL)
	saisir(page, "date_echeance", formatdate(today(), "dd/MM/yyyy"))
	enregistrer_au_clavier(page)
	rappel = attendre_enregistre(page, "rappel")
	capture(page, "parcours-3-travailleur-rappel")
	histoire["rappels"] = [rappel]

	frappe.db.rollback()
	travailleur = roles.monde.comptes["travailleur"]
	personne = frappe.get_doc("Beneficiaire", dossier)
	assert (personne.structure, personne.nom_complet, personne.telephone, personne.get(CHAMP)) == (
		STRUCTURE,
		NOM_COMPLET,
		TELEPHONE,
		"Habitat Lumière",
	)
	assert [r.user for r in personne.referents] == [travailleur]
	demande = frappe.get_doc("Accompagnement", aide)
	assert [t.type_accompagnement for t in demande.types_accompagnement] == [histoire["typologie"]]
	assert (demande.aide_financiere, flt(demande.montant_demande), demande.agent) == (1, 183.4, travailleur)
	assert COMPTE_RENDU in demande.compte_rendu
	rdv = frappe.db.get_value(
		"Accompagnement", histoire["rendez_vous"], ["statut", "rendez_vous", "date", "lieu"], as_dict=True
	)
	assert (rdv.statut, rdv.rendez_vous, formatdate(rdv.date, "dd/MM/yyyy"), rdv.lieu) == (
		"Planifié",
		1,
		jour,
		LIEU,
	)
	assert frappe.db.get_value(
		"Rappel", rappel, ["beneficiaire", "assigne_a", "statut", "date_echeance"], as_dict=True
	) == {"beneficiaire": dossier, "assigne_a": travailleur, "statut": "À faire", "date_echeance": getdate()}


def test_4_l_accueil_trouve_la_personne_et_laisse_un_message(onglet, roles, histoire):
	etape_precedente(histoire, "collegue", "dossier", "jour")
	page = onglet("collegue")
	surveillance = roles.surveillances[page]
	ouvrir(page, roles.base_url, "/app/accueil")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Accueil")

	# A misspelt name, first name first.
	(resultat,) = chercher(page, "yvette carpantier").all()
	expect(resultat.locator(".accueil-nom")).to_contain_text(NOM_COMPLET)
	expect(resultat).to_contain_text("Orthographe proche")
	expect(resultat).to_contain_text(f"Né(e) le {NAISSANCE}")
	expect(resultat).to_contain_text(f"{histoire['jour']} à 10:30 avec Théo Navigateur — lieu : {LIEU}")
	expect(resultat).to_contain_text(TYPOLOGIE)
	capture(page, "parcours-4-accueil-nom-approche")
	confidentiel = (COMPTE_RENDU, MONTANT, MONTANT.replace(",", "."), "183.4", "Habitat Lumière")
	verifier_rien_de_confidentiel(page, surveillance, confidentiel)

	# By phone, typed without spaces.
	(resultat,) = chercher(page, TELEPHONE.replace(" ", "")).all()
	expect(resultat.locator(".accueil-nom")).to_contain_text(NOM_COMPLET)
	expect(resultat).not_to_contain_text("Orthographe proche")
	verifier_rien_de_confidentiel(page, surveillance, confidentiel)

	# A message for the référent, with the mouse.
	resultat.get_by_role("button", name="Laisser un message au référent").click()
	dialogue = boite(page)
	expect(dialogue.locator(".modal-title")).to_have_text(f"Laisser un message au référent de {NOM_COMPLET}")
	expect(dialogue).to_contain_text("Le message sera remis à Théo Navigateur.")
	dialogue.locator("textarea[data-fieldname='message']").press_sequentially(MESSAGE, delay=5)
	# The dialog takes the typed text after a pause (a debounce of Frappe's control).
	page.wait_for_function("(m) => cur_dialog && cur_dialog.get_value('message') === m", arg=MESSAGE)
	capture(page, "parcours-4-accueil-message")
	dialogue.get_by_role("button", name="Envoyer le message").click()
	expect(dialogue).to_be_hidden()
	# Once the results are refreshed, the live region still says what was done (a screen reader
	# reads it): it was overwritten by « 1 dossier trouvé. » before.
	attendre_requetes(page)
	page.wait_for_timeout(300)
	expect(page.locator("#accueil-annonce")).to_have_text("Message laissé à Théo Navigateur.")
	capture(page, "parcours-4-accueil-message-laisse")

	frappe.db.rollback()
	message = frappe.get_all(
		"Rappel",
		filters={"beneficiaire": histoire["dossier"], "owner": COLLEGUE},
		fields=["name", "assigne_a", "note", "date_echeance"],
	)
	assert [(m.assigne_a, m.note, m.date_echeance) for m in message] == [
		(roles.monde.comptes["travailleur"], MESSAGE, getdate())
	]
	histoire["rappels"].append(message[0].name)


def test_5_le_rappel_et_le_message_parviennent_au_travailleur_social(onglet, roles, histoire):
	"""The morning job (run here as the scheduler would, then committed) notifies the rappels due
	today: the bell of the Travailleur social's open desk rings through realtime."""
	from suivi_social.dossiers.rappels_du_matin import envoyer_les_rappels_du_jour

	etape_precedente(histoire, "rappels")
	assert len(histoire["rappels"]) == 2, "Le message de l'accueil manque (étape précédente)"
	travailleur = roles.monde.comptes["travailleur"]
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, "/app/suivi-social")
	attendre_les_chiffres(page)
	page.wait_for_function("() => frappe.realtime.socket && frappe.realtime.socket.connected")
	cloche = page.locator(".navbar .dropdown-notifications .notifications-icon:visible")

	frappe.db.rollback()
	envoyes = envoyer_les_rappels_du_jour()
	frappe.db.commit()
	assert set(histoire["rappels"]) <= set(envoyes.get(travailleur, [])), envoyes

	expect(cloche.locator(".notifications-unseen")).to_be_visible()
	# Frappe's bell adds only the newest notification on each realtime event (notifications.js
	# update_dropdown fetches one): two sent together show as one until the next page load, which
	# is what the agent does in the morning.
	page.reload()
	attendre_desk(page)
	attendre_les_chiffres(page)
	cloche.click()
	liste = page.locator(".navbar .notifications-list:visible")
	rappel = liste.locator(".notification-item", has_text=f"Rappel à traiter aujourd'hui : {TITRE_RAPPEL}")
	expect(rappel).to_be_visible()
	expect(
		liste.locator(".notification-item", has_text=f"Message de l'accueil : {NOM_COMPLET}")
	).to_be_visible()
	# The bell names no one: the rappel's title only.
	expect(rappel).not_to_contain_text(MESSAGE)
	# The bell's own words in French (Frappe leaves them in English).
	for mots in ("Événements", "Nouveautés", "Voir toute l'activité"):
		expect(liste.get_by_text(mots, exact=True).first).to_be_visible()
	capture(page, "parcours-5-travailleur-cloche")
	rappel.click()
	page.wait_for_url(f"**/app/rappel/{histoire['rappels'][0]}")
	formulaire_pret(page, "Rappel")
	expect(champ(page, "titre")).to_have_value(TITRE_RAPPEL)
	expect(champ(page, "beneficiaire")).to_have_value(NOM_COMPLET)
	capture(page, "parcours-5-travailleur-rappel-ouvert")
	frappe.db.rollback()
	assert frappe.db.get_value("Rappel", histoire["rappels"][0], "notifie_le") == getdate()


def test_6_le_responsable_lit_les_chiffres_et_le_rapport_annuel(onglet, roles, histoire):
	etape_precedente(histoire, "aide")
	frappe.db.rollback()
	attendus = chiffres_de_la_structure()
	page = onglet("responsable")
	ouvrir(page, roles.base_url, "/app/suivi-social")
	attendre_les_chiffres(page)
	for titre in ("Bénéficiaires actifs", "Nouveaux dossiers ce mois", "Accompagnements ce mois"):
		expect(carte(page, titre).locator(".number")).to_have_text(
			re.compile(rf"^\s*{re.escape(str(attendus[titre]))}\s*$")
		)
	attendre_les_barres(page)
	capture(page, "parcours-6-responsable-chiffres")

	annee = getdate(today()).year
	ouvrir(page, roles.base_url, "/app/rapport-activite")
	rapport = page.locator(".rapport-activite:visible")
	expect(rapport.locator(".rapport-sections")).to_be_visible()
	attendre_requetes(page)
	expect(page.locator(".page-head:visible .title-text")).to_have_text(
		f"Rapport d'activité {annee} — {STRUCTURE}"
	)
	# The new typology's aid counts this year (the planned appointment does not, yet).
	ligne = rapport.locator("[data-section='typologies'] tbody tr", has_text=TYPOLOGIE)
	expect(ligne).to_have_count(1)
	expect(ligne.locator("td").nth(1)).to_have_text("1")
	# Anonymous: the person's name is nowhere on the page.
	assert NOM.upper() not in texte_visible(page).upper()
	capture(page, "parcours-6-responsable-rapport")
	page.wait_for_timeout(500)
	with page.expect_download() as telechargement:
		page.locator(".page-head:visible button", has_text="Télécharger le classeur Excel").click()
	classeur = load_workbook(io.BytesIO(telechargement.value.path().read_bytes()))
	cellules = [c for ws in classeur for row in ws.iter_rows(values_only=True) for c in row if c]
	assert TYPOLOGIE in cellules
	assert not any(NOM_COMPLET in str(c) for c in cellules), "Un nom de personne dans le rapport annuel"
