"""The Responsable de structure reads who exported what (issue 8 §4): their own export, their team's,
never another structure's (permissions/journal_acces.py).

The Responsable logs in through the real login page, downloads the yearly activity report's Excel
workbook (an export written to the Access Log by the server, suivi_social/exports.py), then opens
the « Journal des accès » list. A colleague's entry and an entry of the Responsable of another
structure of the site (« CCAS Navigateur Voisin », donnees.py) are added beforehand; the first is
listed, the second never, not even when asked for by name."""

import re
from urllib.parse import quote

import frappe
from frappe.utils import getdate, now_datetime, today
from playwright.sync_api import expect

from tests.navigateur.donnees import RESPONSABLE_VOISIN, STRUCTURE, STRUCTURE_VOISINE
from tests.navigateur.outils import ARTEFACTS, attendre_requetes, capture, ouvrir, texte_visible

# French labels of the list's columns (Frappe's fr.po and ours; permissions/journal_acces.LISTE).
COLONNES = ("Utilisateur", "Exporté depuis", "Type de fichier", "Nom du Rapport")


def ajouter_entree(user: str, report_name: str, **valeurs) -> str:
	"""An Access Log entry as Frappe writes it for an export of `user` (committed)."""
	doc = frappe.get_doc(
		{
			"doctype": "Access Log",
			"user": user,
			"export_from": "Beneficiaire",
			"report_name": report_name,
			"file_type": "CSV",
			"method": "Export",
			"timestamp": now_datetime(),
			**valeurs,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return doc.name


def lignes(page):
	return page.locator(".frappe-list:visible .list-row-container")


def attendre_la_liste(page) -> None:
	page.wait_for_function(
		"""() => window.cur_list && cur_list.doctype === "Access Log" && !cur_list.list_loading
			&& document.querySelector(".frappe-list .result, .frappe-list .no-result")"""
	)
	attendre_requetes(page)


def test_le_responsable_voit_le_journal_de_sa_structure(onglet, roles, monde_nv):
	responsable = monde_nv.comptes["responsable"]
	annee = getdate(today()).year
	marque = frappe.generate_hash(length=8)
	entree_collegue = entree_voisin = None
	try:
		entree_collegue = ajouter_entree(monde_nv.comptes["travailleur"], f"Export de l'équipe {marque}")
		depuis = now_datetime()

		# A real login, then the export: the yearly report's workbook.
		page = onglet("responsable", connexion=True)
		ouvrir(page, roles.base_url, "/app/rapport-activite")
		expect(page.locator(".rapport-activite:visible .rapport-sections")).to_be_visible()
		attendre_requetes(page)
		expect(page.locator(".page-head:visible .title-text")).to_have_text(
			f"Rapport d'activité {annee} — {STRUCTURE}"
		)
		with page.expect_download() as telechargement:
			page.locator(".page-head:visible button", has_text="Télécharger le classeur Excel").click()
		telechargement.value.save_as(ARTEFACTS / f"journal-acces-rapport-{annee}.xlsx")
		attendre_requetes(page)

		frappe.db.rollback()
		(export,) = frappe.get_all(
			"Access Log",
			filters={"user": responsable, "creation": (">=", depuis)},
			fields=["name", "report_name", "file_type", "export_from"],
		)
		assert (export.report_name, export.file_type, export.export_from) == (
			"Rapport d'activité",
			"XLSX",
			"Structure",
		)
		# The other structure's entry, the most recent of all: a leak would head the list.
		entree_voisin = ajouter_entree(
			RESPONSABLE_VOISIN, f"Export voisin {marque}", export_from="Accompagnement"
		)

		ouvrir(page, roles.base_url, "/app/access-log")
		attendre_la_liste(page)
		expect(page.locator(".page-head:visible .title-text")).to_have_text("Journal des accès")
		entete = page.locator(".frappe-list:visible .list-row-head")
		for colonne in COLONNES:
			expect(entete).to_contain_text(colonne)
		# Their own export, first (the most recent of what they may read), in French.
		premiere = lignes(page).first
		expect(premiere).to_contain_text("Rapport d'activité")
		expect(premiere).to_contain_text("XLSX")
		expect(premiere).to_contain_text("Structure")
		expect(
			premiere.locator(f"[data-name='{export.name}'], a[href$='/{export.name}']").first
		).to_be_attached()
		# Their colleague's, listed; the other structure's, nowhere.
		expect(lignes(page).filter(has_text=f"Export de l'équipe {marque}")).to_have_count(1)
		visible = texte_visible(page)
		assert f"Export voisin {marque}" not in visible and RESPONSABLE_VOISIN not in visible
		assert STRUCTURE_VOISINE not in visible
		capture(page, "journal-acces-responsable")

		# Asked for by the other Responsable's name: nothing.
		ouvrir(page, roles.base_url, f"/app/access-log?user={quote(RESPONSABLE_VOISIN)}")
		attendre_la_liste(page)
		expect(lignes(page)).to_have_count(0)
		expect(page.locator(".frappe-list:visible .no-result").first).to_be_visible()
		capture(page, "journal-acces-autre-structure")

		# And the entry itself, opened by its name: refused by the server.
		surveillance = roles.surveillances[page]
		avant = len(surveillance.problemes)
		with page.expect_response(lambda r: "frappe.desk.form.load.getdoc?" in r.url) as reponse:
			page.goto(f"{roles.base_url}/app/access-log/{entree_voisin}")
		assert reponse.value.status == 403
		refus = page.locator(".modal.show .modal-dialog", has_text="Non autorisé")
		expect(refus).to_be_visible()
		attendre_requetes(page)
		assert f"Export voisin {marque}" not in texte_visible(page)
		capture(page, "journal-acces-entree-refusee")
		refus.locator(".btn-modal-close").click()
		expect(refus).to_have_count(0)
		# That refusal (HTTP 403, Frappe's « Non autorisé » message and its traceback in the console)
		# is the expected outcome here, not a defect of the page.
		nouveaux = surveillance.problemes[avant:]
		assert all(re.search(r"403|Non autorisé|Traceback", p) for p in nouveaux), nouveaux
		del surveillance.problemes[avant:]
	finally:
		frappe.db.rollback()
		for nom in (entree_collegue, entree_voisin):
			if nom and frappe.db.exists("Access Log", nom):
				frappe.delete_doc("Access Log", nom, force=True, ignore_permissions=True)
		frappe.db.commit()
