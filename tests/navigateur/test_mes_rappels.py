"""« Mes rappels » in the desk (issue 9 §3): the Travailleur social sees their rappels of today, late
and of the week on the « Suivi social » workspace, with the right counts; a click on a card opens the
list with the card's own filters (the late rappels, not every rappel to do), and the Rappel list's
« Mes rappels » menu sets the same filters. An aid awaiting documents proposes a follow-up rappel.
What these tests add is removed at the end."""

import re
from contextlib import contextmanager

import frappe
from frappe.utils import add_days, formatdate, get_last_day_of_week, getdate, today
from playwright.sync_api import expect

from tests.navigateur.donnees import STRUCTURE
from tests.navigateur.outils import (
	attendre_requetes,
	boite,
	capture,
	champ,
	choisir,
	enregistrer,
	formulaire_pret,
	ouvrir,
)
from tests.navigateur.test_statistiques import attendre_les_barres, attendre_les_chiffres

CARTES = ("Mes rappels du jour", "Mes rappels en retard", "Mes rappels de la semaine")


@contextmanager
def rappels_du_travailleur(monde):
	"""Two rappels today, one late, one of a colleague due today (committed: the web server reads
	them); removed afterwards."""
	t = getdate(today())
	travailleur, responsable = monde.comptes["travailleur"], monde.comptes["responsable"]
	crees = []
	try:
		for titre, jours, agent in (
			("Appeler le bailleur", 0, travailleur),
			("Envoyer le dossier FSL", 0, travailleur),
			("Relancer la CPAM", -4, travailleur),
			("Rappel de la responsable", 0, responsable),
		):
			doc = frappe.get_doc(
				{
					"doctype": "Rappel",
					"titre": titre,
					"structure": STRUCTURE,
					"beneficiaire": monde.dossier_louis,
					"assigne_a": agent,
					"date_echeance": str(add_days(t, jours)),
					"statut": "À faire",
				}
			).insert(ignore_permissions=True)
			crees.append(doc.name)
		frappe.db.commit()
		yield
	finally:
		frappe.db.rollback()
		for name in crees:
			if frappe.db.exists("Rappel", name):
				frappe.delete_doc(
					"Rappel", name, force=True, ignore_permissions=True, delete_permanently=True
				)
		frappe.db.commit()


def attendus(agent: str) -> dict[str, int]:
	"""Each card's count for the agent, counted directly in the database."""
	t = getdate(today())
	base = {"assigne_a": agent, "statut": "À faire"}
	return {
		"Mes rappels du jour": frappe.db.count("Rappel", {**base, "date_echeance": t}),
		"Mes rappels en retard": frappe.db.count("Rappel", {**base, "date_echeance": ("<", t)}),
		"Mes rappels de la semaine": frappe.db.count(
			"Rappel", {**base, "date_echeance": ("between", [t, get_last_day_of_week(t)])}
		),
	}


def carte(page, titre: str):
	return page.locator(
		".widget.number-widget-box:visible",
		has=page.locator(".widget-title", has_text=re.compile(rf"^\s*{re.escape(titre)}\s*$")),
	)


def lignes_de_la_liste(page):
	return page.locator(".frappe-list .list-row-container:visible .list-subject")


def test_le_travailleur_social_voit_mes_rappels(onglet, roles, monde_nv):
	travailleur = monde_nv.comptes["travailleur"]
	with rappels_du_travailleur(monde_nv):
		valeurs = attendus(travailleur)
		assert valeurs["Mes rappels du jour"] >= 2 and valeurs["Mes rappels en retard"] >= 1
		page = onglet("travailleur")
		ouvrir(page, roles.base_url, "/app/suivi-social")
		espace = page.locator(".layout-main-section:visible")
		expect(espace.locator(".ce-header", has_text="Mes rappels")).to_be_visible()
		for titre in CARTES:
			expect(carte(page, titre).locator(".number")).to_have_text(
				re.compile(rf"^\s*{valeurs[titre]}\s*$")
			)
		# Drawn before leaving the page: a chart drawn in a hidden page measures negative widths.
		attendre_les_chiffres(page)
		attendre_les_barres(page)
		capture(page, "mes-rappels-espace-travailleur")

		# The card opens the list of what it counted: the late rappels only.
		carte(page, "Mes rappels en retard").locator(".widget-body").click()
		page.wait_for_url(re.compile(r"/app/rappel(/view/list)?(\?|$)"))
		attendre_requetes(page)
		expect(lignes_de_la_liste(page).filter(has_text="Relancer la CPAM")).to_be_visible()
		expect(lignes_de_la_liste(page)).to_have_count(valeurs["Mes rappels en retard"])
		expect(page.get_by_text("Appeler le bailleur")).to_have_count(0)
		capture(page, "mes-rappels-liste-en-retard")

		# The list's « Mes rappels » menu: today's, not a colleague's.
		page.locator(".page-actions:visible").get_by_role("button", name="Mes rappels").click()
		page.locator(".dropdown-menu.show").get_by_text("Aujourd'hui", exact=True).click()
		attendre_requetes(page)
		expect(lignes_de_la_liste(page)).to_have_count(valeurs["Mes rappels du jour"])
		for titre in ("Appeler le bailleur", "Envoyer le dossier FSL"):
			expect(lignes_de_la_liste(page).filter(has_text=titre)).to_be_visible()
		expect(page.get_by_text("Rappel de la responsable")).to_have_count(0)
		expect(page.get_by_text("Relancer la CPAM")).to_have_count(0)
		capture(page, "mes-rappels-liste-du-jour")


def test_la_carte_rappels_en_retard_ouvre_les_rappels_en_retard(onglet, roles, monde_nv):
	"""Fixed with issue 9: the structure's card opened every rappel to do; now its late ones."""
	with rappels_du_travailleur(monde_nv):
		t = getdate(today())
		en_retard = frappe.db.count(
			"Rappel", {"structure": STRUCTURE, "statut": "À faire", "date_echeance": ("<", t)}
		)
		page = onglet("responsable")
		ouvrir(page, roles.base_url, "/app/suivi-social")
		expect(carte(page, "Rappels en retard").locator(".number")).to_have_text(
			re.compile(rf"^\s*{en_retard}\s*$")
		)
		# The Responsable's chart of the late rappels per agent.
		expect(page.locator(".widget-title", has_text="Rappels en retard par agent")).to_be_visible()
		attendre_les_chiffres(page)
		attendre_les_barres(page)
		# One bar per agent late: the Travailleur social's.
		page.wait_for_function(
			"""() => [...document.querySelectorAll('.dashboard-widget-box')]
				.filter((g) => g.querySelector('.widget-title')?.textContent.includes('Rappels en retard par agent'))
				.some((g) => [...g.querySelectorAll('rect.bar')].some((b) => Number(b.getAttribute('height')) > 0))"""
		)
		# From the database: frappe.utils.get_fullname keeps names per process, and an earlier test of
		# this process may have read the user before its full name was set.
		nom = frappe.db.get_value("User", monde_nv.comptes["travailleur"], "full_name")
		expect(page.locator(".dashboard-widget-box", has_text="Rappels en retard par agent")).to_contain_text(
			nom
		)
		capture(page, "rappels-en-retard-espace-responsable")
		carte(page, "Rappels en retard").locator(".widget-body").click()
		page.wait_for_url(re.compile(r"/app/rappel(/view/list)?(\?|$)"))
		attendre_requetes(page)
		expect(lignes_de_la_liste(page)).to_have_count(en_retard)
		expect(page.get_by_text("Appeler le bailleur")).to_have_count(0)
		capture(page, "rappels-en-retard-liste-responsable")


def test_une_aide_en_attente_de_justificatifs_propose_une_relance(onglet, roles, monde_nv):
	"""The aid's decision set to « En attente de justificatifs »: saved, the form offers a rappel to
	follow up, pre-filled (title, due date in 14 days, the accompaniment's agent)."""
	from suivi_social.dossiers.rappels import DELAI_RELANCE_JUSTIFICATIFS

	travailleur = monde_nv.comptes["travailleur"]
	aide = frappe.get_doc(
		{
			"doctype": "Accompagnement",
			"beneficiaire": monde_nv.dossier_claire,
			"types_accompagnement": [{"type_accompagnement": monde_nv.type_aide}],
			"date": today(),
			"mode": "Entretien téléphonique",
			"agent": travailleur,
			"statut": "À traiter",
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	try:
		page = onglet("travailleur")
		ouvrir(page, roles.base_url, f"/app/accompagnement/{aide.name}")
		formulaire_pret(page, "Accompagnement")
		choisir(page, "decision", "En attente de justificatifs")
		enregistrer(page)
		question = boite(page)
		expect(question).to_contain_text(
			"La demande est en attente de justificatifs : créer un rappel pour relancer ?"
		)
		capture(page, "rappel-relance-justificatifs-question")
		question.get_by_role("button", name="Oui", exact=True).click()
		formulaire_pret(page, "Rappel")
		expect(champ(page, "titre")).to_have_value("Relancer pour les justificatifs : MOREAU Claire")
		expect(champ(page, "beneficiaire")).to_have_value("MOREAU Claire")
		expect(champ(page, "date_echeance")).to_have_value(
			formatdate(add_days(today(), DELAI_RELANCE_JUSTIFICATIFS), "dd/MM/yyyy")
		)
		capture(page, "rappel-relance-justificatifs-nouveau")
		assert page.evaluate("() => cur_frm.doc.assigne_a") == travailleur
		assert page.evaluate("() => cur_frm.doc.accompagnement") == aide.name
	finally:
		frappe.db.rollback()
		frappe.delete_doc(
			"Accompagnement", aide.name, force=True, ignore_permissions=True, delete_permanently=True
		)
		frappe.db.commit()
