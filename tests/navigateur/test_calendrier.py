"""The Travailleur social's calendar of appointments (accompagnement_calendar.js): their appointment
in the week, in French, without confidential content; opened from the calendar, marked « Honoré »
in one click."""

import re

import frappe
from frappe.utils import today
from playwright.sync_api import expect

from tests.factories import make_accompagnement
from tests.navigateur.donnees import CONFIDENTIEL
from tests.navigateur.outils import capture, formulaire_pret, ouvrir


def test_le_travailleur_social_voit_son_rendez_vous_et_note_qu_il_est_honore(onglet, roles, monde_nv):
	travailleur = monde_nv.comptes["travailleur"]
	rdv = make_accompagnement(
		monde_nv.dossier_louis,
		monde_nv.type_simple,
		travailleur,
		date=today(),
		heure="16:00:00",
		duree=45,
		mode="Accueil physique sur rendez-vous",
		statut="Planifié",
		lieu="Bureau 3",
		compte_rendu=f"<p>{CONFIDENTIEL['compte_rendu']}</p>",
	).name
	frappe.db.commit()
	try:
		page = onglet("travailleur")
		ouvrir(page, roles.base_url, "/app/accompagnement/view/calendar/default")
		calendrier = page.locator(".fc:visible")
		# FullCalendar in French, the week of agents (Monday first), the appointment in its slot.
		expect(calendrier.locator(".fc-agendaWeek-button")).to_have_text("Semaine")
		expect(calendrier.locator(".fc-today-button")).to_contain_text("Aujourd'hui")
		expect(calendrier.locator(".fc-day-header").first).to_contain_text("lun.")
		evenement = calendrier.locator(".fc-event", has_text="PETIT Louis")
		expect(evenement).to_contain_text("PETIT Louis · Théo Navigateur")
		expect(evenement).to_contain_text("16:00 - 16:45")
		expect(evenement).to_have_attribute(
			"title",
			"16h00–16h45 · PETIT Louis · Théo Navigateur · Accueil physique sur rendez-vous · Bureau 3",
		)
		expect(calendrier).not_to_contain_text("dette de loyer")
		capture(page, "calendrier-travailleur-social")

		# From the calendar to the form, where the outcome is one click.
		evenement.click()
		formulaire_pret(page, "Accompagnement")
		page.locator(".page-head:visible .inner-group-button button", has_text="Issue du rendez-vous").click()
		page.locator(".page-head:visible .dropdown-menu.show .dropdown-item").filter(
			has_text=re.compile(r"^\s*Honoré\s*$")
		).click()
		expect(page.locator(".alert-message", has_text="Rendez-vous : Honoré")).to_be_visible()
		capture(page, "calendrier-rendez-vous-honore")
		frappe.db.rollback()
		assert frappe.db.get_value("Accompagnement", rdv, ["issue_rendez_vous", "statut"]) == (
			"Honoré",
			"Terminé",
		)
	finally:
		frappe.db.rollback()
		frappe.delete_doc("Accompagnement", rdv, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
