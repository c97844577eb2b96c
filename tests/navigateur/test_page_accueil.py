"""The Accueil page (suivi_social/accueil/) in the browser: the Agent d'accueil logs in through the
login page and lands on it, finds a person by a misspelt name and by phone, sees the next
appointment but nothing confidential, notes a call and leaves a message with the keyboard only;
the référent then finds the message in their rappels."""

import re

import frappe
import pytest
from frappe.utils import add_days, getdate, today
from playwright.sync_api import expect

from tests.factories import make_accompagnement, make_beneficiaire, nir
from tests.navigateur.donnees import STRUCTURE, TYPE_AIDE, TYPE_SIMPLE
from tests.navigateur.outils import attendre_requetes, boite, capture, ouvrir, texte_visible

NIR = nir("2520375123456")
MUTUELLE = "Mutuelle Confidentielle du Rhône"
COMPTE_RENDU = "Impayés de loyer signalés par le bailleur Pierres Vives"
MONTANTS = ("487,35", "487.35", "412,65", "412.65")
MESSAGE = "Mme Lévêque a appelé : elle ne pourra pas venir jeudi, merci de la rappeler."


@pytest.fixture(scope="module")
def leveque(monde_nv):
	"""A file with a référent, a phone, confidential values, an open aid with amounts and an
	appointment in three days; committed for the web server (the next session's nettoyer() deletes
	it with the rest of the structure)."""
	travailleur = monde_nv.comptes["travailleur"]
	dossier = make_beneficiaire(
		STRUCTURE,
		nom_usage="Lévêque",
		prenoms="Marie-Thérèse",
		date_naissance="1952-03-12",
		genre="Femme",
		commune="Démoville",
		telephone="06 48 27 91 35",
		numero_securite_sociale=NIR,
		mutuelle=MUTUELLE,
		referents=[{"user": travailleur}],
	)
	aide = frappe.db.get_value("Type Accompagnement", {"structure": STRUCTURE, "nom": TYPE_AIDE})
	simple = frappe.db.get_value("Type Accompagnement", {"structure": STRUCTURE, "nom": TYPE_SIMPLE})
	make_accompagnement(
		dossier.name,
		aide,
		travailleur,
		date=str(add_days(today(), -10)),
		statut="En cours",
		decision="Accordée partiellement",
		compte_rendu=f"<p>{COMPTE_RENDU}</p>",
		montant_demande=487.35,
		montant_accorde=412.65,
	)
	jour = str(add_days(today(), 3))
	make_accompagnement(
		dossier.name,
		simple,
		travailleur,
		date=jour,
		heure="14:30:00",
		mode="Accueil physique sur rendez-vous",
		statut="Planifié",
		lieu="Bureau 4, premier étage",
	)
	frappe.db.commit()
	return frappe._dict(name=dossier.name, jour=getdate(jour).strftime("%d/%m/%Y"), referent=travailleur)


def chercher(page, texte: str):
	champ = page.get_by_label("Rechercher une personne")
	champ.fill(texte)
	# The results come as one types (debounced), and the live region says how many.
	expect(page.locator("#accueil-annonce")).to_have_text(re.compile(r"^1 dossier trouvé\.$"))
	attendre_requetes(page)
	return page.locator(".accueil-resultat")


def verifier_rien_de_confidentiel(
	page, surveillance, valeurs=(NIR, NIR[:13], MUTUELLE, COMPTE_RENDU, *MONTANTS)
):
	visible = texte_visible(page)
	reponses = [corps for url, corps in surveillance.reponses if "suivi_social.accueil.api.chercher" in url]
	assert reponses, "La page n'a pas appelé suivi_social.accueil.api.chercher"
	dom = page.content()
	for valeur in valeurs:
		assert valeur not in visible, f"Valeur confidentielle affichée : « {valeur} »"
		assert valeur not in dom, f"Valeur confidentielle dans la page : « {valeur} »"
	# No amount field at all in what the server sent (the page's script names them, for the roles
	# that read them).
	for valeur in (*valeurs, "montant"):
		for corps in reponses:
			assert valeur not in corps, f"Valeur confidentielle reçue par le navigateur : « {valeur} »"


def test_l_accueil_trouve_renseigne_et_transmet(onglet, roles, leveque):
	page = onglet("accueil", connexion=True)
	surveillance = roles.surveillances[page]
	# Lands on the Accueil page, the search box focused.
	page.wait_for_url("**/app/accueil")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Accueil")
	expect(page.get_by_label("Rechercher une personne")).to_be_focused()

	# A misspelt name, without accents, in any order (test_fusion.py leaves a Marie-Claire
	# Lévêque in the structure: the first name tells them apart).
	resultats = chercher(page, "therese leveqe")
	(resultat,) = resultats.all()
	expect(resultat.locator(".accueil-nom")).to_contain_text("LÉVÊQUE Marie-Thérèse")
	expect(resultat).to_contain_text("Orthographe proche")
	expect(resultat).to_contain_text("Né(e) le 12/03/1952")
	expect(resultat).to_contain_text("Théo Navigateur")
	# The next appointment: date dd/mm/yyyy, time, agent and place.
	expect(resultat).to_contain_text(
		f"{leveque.jour} à 14:30 avec Théo Navigateur — lieu : Bureau 4, premier étage"
	)
	# Where the aid stands, without its amounts.
	expect(resultat).to_contain_text(f"{TYPE_AIDE} — En cours — décision : Accordée partiellement")
	capture(page, "page-accueil-nom-approche")
	verifier_rien_de_confidentiel(page, surveillance)

	# By phone, in the international form.
	resultats = chercher(page, "+33 6 48 27 91 35")
	expect(resultats.first.locator(".accueil-nom")).to_contain_text("LÉVÊQUE Marie-Thérèse")
	expect(resultats.first).not_to_contain_text("Orthographe proche")
	capture(page, "page-accueil-telephone")
	verifier_rien_de_confidentiel(page, surveillance)

	# Keyboard only. Enter right after typing: the search runs at once and the focus goes to the
	# first result, where it stays when the pending as-you-type search comes.
	champ = page.get_by_label("Rechercher une personne")
	champ.fill("06 48 27 91 35")
	champ.press("Enter")
	expect(resultats.first).to_be_focused()
	page.wait_for_timeout(600)
	expect(resultats.first).to_be_focused()
	# Escape goes back to the search box, the down arrow to the result.
	page.keyboard.press("Escape")
	expect(champ).to_be_focused()
	page.keyboard.press("ArrowDown")
	expect(resultats.first).to_be_focused()
	# « A » notes a call in two steps.
	page.keyboard.press("a")
	dialogue = boite(page)
	expect(dialogue.locator(".modal-title")).to_have_text("Noter un appel")
	expect(dialogue.locator("textarea[data-fieldname='note']")).to_be_focused()
	page.keyboard.type("Demande où en est son aide.")
	dialogue.get_by_role("button", name="Enregistrer").click()
	expect(page.locator("#accueil-annonce")).to_have_text("Appel noté pour LÉVÊQUE Marie-Thérèse.")
	expect(resultats.first).to_be_focused()

	# « M »: a message for the référent.
	page.keyboard.press("m")
	dialogue = boite(page)
	expect(dialogue.locator(".modal-title")).to_have_text(
		"Laisser un message au référent de LÉVÊQUE Marie-Thérèse"
	)
	expect(dialogue).to_contain_text("Le message sera remis à Théo Navigateur.")
	expect(dialogue.locator("textarea[data-fieldname='message']")).to_be_focused()
	page.keyboard.type(MESSAGE)
	capture(page, "page-accueil-message")
	dialogue.get_by_role("button", name="Envoyer le message").click()
	expect(page.locator("#accueil-annonce")).to_have_text("Message laissé à Théo Navigateur.")
	capture(page, "page-accueil-message-laisse")
	# Enter on the result opens the file.
	expect(resultats.first).to_be_focused()
	page.keyboard.press("Enter")
	page.wait_for_url(f"**/app/beneficiaire/{leveque.name}")

	frappe.db.rollback()  # a new snapshot, that sees what the web server committed
	appel = frappe.get_all(
		"Accompagnement",
		filters={"beneficiaire": leveque.name, "owner": roles.monde.comptes["accueil"]},
		fields=["mode", "statut", "objet"],
	)
	assert [(a.mode, a.statut, a.objet) for a in appel] == [
		("Entretien téléphonique", "Terminé", "Demande où en est son aide.")
	]


def test_le_referent_trouve_le_message_dans_ses_rappels(onglet, roles, leveque):
	"""After the message above: in the référent's « Mes rappels » list, due today."""
	frappe.db.rollback()
	assert frappe.db.exists(
		"Rappel", {"beneficiaire": leveque.name, "assigne_a": leveque.referent}
	), "Le message de l'accueil n'a pas été enregistré (test précédent)"
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, "/app/rappel?statut=%C3%80%20faire&assigne_a=" + leveque.referent)
	ligne = page.locator(
		".list-row-container:visible", has_text="Message de l'accueil : LÉVÊQUE Marie-Thérèse"
	)
	expect(ligne).to_be_visible()
	ligne.locator("a.ellipsis").first.click()
	expect(page.locator(".frappe-control[data-fieldname='note']:visible")).to_contain_text(MESSAGE)
	# Opened as it was left: due now, nothing for the form to fill in by itself.
	assert not page.evaluate("cur_frm.is_dirty()")
	capture(page, "page-accueil-rappel-du-referent")


def test_creer_un_dossier_depuis_une_recherche_sans_resultat(onglet, roles):
	"""Nobody matches: « Créer un dossier » opens the new file with what was typed (the form checks
	for duplicates when it is saved)."""
	page = onglet("accueil")
	ouvrir(page, roles.base_url, "/app/accueil")
	page.get_by_label("Rechercher une personne").fill("ZYGOMAR Quentin 07/09/1961 07 98 76 54 32")
	expect(page.locator("#accueil-annonce")).to_have_text(
		"Aucun dossier ne correspond à « ZYGOMAR Quentin 07/09/1961 07 98 76 54 32 »."
	)
	creer = page.locator(".accueil-creer")
	expect(creer).to_contain_text("Personne ne correspond : vous pouvez créer son dossier.")
	expect(creer).to_contain_text(
		"Nom : Zygomar · Prénoms : Quentin · Date de naissance : 07/09/1961 · Téléphone : 07 98 76 54 32"
	)
	capture(page, "page-accueil-creer-un-dossier")
	creer.get_by_role("button", name="Créer un dossier").click()
	page.wait_for_url("**/app/beneficiaire/new-beneficiaire-*")
	for fieldname, valeur in (
		("nom_usage", "Zygomar"),
		("prenoms", "Quentin"),
		("date_naissance", "07/09/1961"),
	):
		expect(page.locator(f"input[data-fieldname='{fieldname}']:visible")).to_have_value(valeur)
	# On the « Contact et situation » tab.
	assert page.evaluate("cur_frm.doc.telephone") == "07 98 76 54 32"
