"""Statistics in the desk (issue 8): the figures of the « Suivi social » workspace.

The figures themselves are checked on a hand-built dataset in tests/statistiques/; here the desk
shows them: each card's French title and the value the structure's records give (counted here
directly in the database), the charts drawn, no error in the browser, and no amount for the Agent
d'accueil. The records these tests add to « CCAS Navigateur » are removed at the end."""

import re
from contextlib import contextmanager

import frappe
from frappe.utils import add_days, add_months, flt, get_first_day, getdate, today
from playwright.sync_api import expect

from suivi_social.statistiques.perimetre import ISSUE_NON_HONOREE, STATUTS_REALISES
from tests.navigateur.donnees import STRUCTURE
from tests.navigateur.outils import ARTEFACTS, attendre_requetes, capture, ouvrir, texte_visible

CARTES = (
	"Bénéficiaires actifs",
	"Nouveaux dossiers ce mois",
	"Accompagnements ce mois",
	"Rappels en retard",
)
CARTE_AIDES = "Aides accordées cette année"
GRAPHIQUES = (
	"Accompagnements par type et par mois",
	# Under the heading « Bénéficiaires actifs »:
	"Par tranche d'âge",
	"Par genre",
	"Par situation familiale",
	"Par commune",
)


@contextmanager
def activite_du_navigateur(monde):
	"""A few months of activity in « CCAS Navigateur » (committed, as the web server reads it), an
	overdue rappel and an aid granted this year; removed afterwards."""
	t = getdate(today())
	travailleur = monde.comptes["travailleur"]
	crees = []

	def ajouter(valeurs: dict) -> None:
		doc = frappe.get_doc(valeurs).insert(ignore_permissions=True)
		crees.append((doc.doctype, doc.name))

	def suivi(beneficiaire: str, type_accompagnement: str, jour, **valeurs) -> None:
		ajouter(
			{
				"doctype": "Accompagnement",
				"beneficiaire": beneficiaire,
				"types_accompagnement": [{"type_accompagnement": type_accompagnement}],
				"date": str(jour),
				"mode": "Entretien téléphonique",
				"agent": travailleur,
				"statut": "Terminé",
				**valeurs,
			}
		)

	try:
		suivi(monde.dossier_louis, monde.type_simple, t)
		suivi(monde.dossier_claire, monde.type_simple, t)
		suivi(monde.dossier_claire, monde.type_aide, add_months(get_first_day(t), -1))
		suivi(monde.dossier_paul, monde.type_simple, add_months(get_first_day(t), -3))
		suivi(
			monde.dossier_paul,
			monde.type_aide,
			t,
			instruction="En interne",
			decision="Accordée",
			montant_demande=300,
			montant_accorde=250,
			date_decision=str(t),
		)
		ajouter(
			{
				"doctype": "Rappel",
				"titre": "Relancer la CAF",
				"structure": STRUCTURE,
				"beneficiaire": monde.dossier_louis,
				"assigne_a": travailleur,
				"date_echeance": str(add_days(t, -2)),
				"statut": "À faire",
			}
		)
		frappe.db.commit()
		yield
	finally:
		frappe.db.rollback()
		for doctype, name in reversed(crees):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()


def chiffres_de_la_structure() -> dict[str, str]:
	"""Each card's value for the structure, counted directly (as Administrator) in the database,
	formatted as the desk displays it."""
	t = getdate(today())
	valeurs = {
		"s": STRUCTURE,
		"debut_mois": get_first_day(t),
		"t": t,
		"d": f"{t.year}-01-01",
		"f": f"{t.year}-12-31",
	}

	def un(sql: str):
		return frappe.db.sql(sql, valeurs)[0][0]

	aides = un(
		"""select sum(montant_accorde) from tabAccompagnement
		where structure = %(s)s and decision in ('Accordée', 'Accordée partiellement')
			and (date_decision between %(d)s and %(f)s
				or (date_decision is null and date between %(d)s and %(f)s))"""
	)
	return {
		"Bénéficiaires actifs": un(
			"select count(*) from tabBeneficiaire where structure = %(s)s and statut = 'Actif'"
		),
		"Nouveaux dossiers ce mois": un(
			"select count(*) from tabBeneficiaire where structure = %(s)s and creation >= %(debut_mois)s"
		),
		"Accompagnements ce mois": un(
			f"""select count(*) from tabAccompagnement where structure = %(s)s
			and date between %(debut_mois)s and %(t)s and statut in {tuple(STATUTS_REALISES)}
			and ifnull(issue_rendez_vous, '') != '{ISSUE_NON_HONOREE}'"""
		),
		"Rappels en retard": un(
			"select count(*) from tabRappel where structure = %(s)s and statut = 'À faire' and date_echeance < %(t)s"
		),
		CARTE_AIDES: frappe.format_value(flt(aides), {"fieldtype": "Currency", "options": "EUR"}),
	}


def carte(page, titre: str):
	# The whole title: « Rappels en retard » is also in « Mes rappels en retard ».
	return page.locator(
		".widget.number-widget-box:visible",
		has=page.locator(".widget-title", has_text=re.compile(rf"^\s*{re.escape(titre)}\s*$")),
	)


def graphique(page, titre: str):
	return page.locator(
		".widget.dashboard-widget-box:visible", has=page.locator(".widget-title", has_text=titre)
	)


def attendre_les_chiffres(page) -> None:
	"""Every card shows its number and every chart its drawing, or « Aucune donnée » (a chart with
	nothing to draw: the Responsable's late rappels per agent when none is late)."""
	page.wait_for_function(
		"""() => {
			const cartes = [...document.querySelectorAll('.layout-main-section .number-widget-box')];
			const graphiques = [...document.querySelectorAll('.layout-main-section .dashboard-widget-box')];
			const vide = (g) => [...g.querySelectorAll('.chart-loading-state')]
				.some((e) => e.offsetParent && e.textContent.trim() === 'Aucune donnée');
			return cartes.length && cartes.every((c) => c.querySelector('.widget-content .number'))
				&& graphiques.length && graphiques.every((g) => g.querySelector('svg.frappe-chart') || vide(g));
		}"""
	)
	attendre_requetes(page)


def attendre_les_barres(page) -> None:
	"""The bars are drawn (the charts are not animated: dashboard_chart/*.json), for the pictures."""
	page.wait_for_function(
		"""() => [...document.querySelectorAll('.dashboard-widget-box svg.frappe-chart rect.bar')]
			.some((barre) => Number(barre.getAttribute('height')) > 0)"""
	)


def test_espace_de_travail_du_responsable_chiffres_et_graphiques(onglet, roles, monde_nv):
	with activite_du_navigateur(monde_nv):
		attendus = chiffres_de_la_structure()
		assert attendus["Rappels en retard"] >= 1 and attendus["Accompagnements ce mois"] >= 3
		page = onglet("responsable")
		ouvrir(page, roles.base_url, "/app/suivi-social")
		espace = page.locator(".layout-main-section:visible")
		for titre in ("Chiffres clés", "Activité", "Bénéficiaires actifs"):
			expect(espace.locator(".ce-header", has_text=titre)).to_be_visible()
		attendre_les_chiffres(page)

		for titre in (*CARTES, CARTE_AIDES):
			expect(carte(page, titre).locator(".number")).to_have_text(
				re.compile(rf"^\s*{re.escape(str(attendus[titre]))}\s*$")
			)
		for titre in GRAPHIQUES:
			bloc = graphique(page, titre)
			expect(bloc).to_be_visible()
			expect(bloc.locator("svg").first).to_be_visible()
		# The series and labels are French, « Non renseigné » shown as such.
		expect(graphique(page, GRAPHIQUES[0])).to_contain_text("Domiciliation")
		expect(graphique(page, GRAPHIQUES[2])).to_contain_text("Non renseigné")
		attendre_les_barres(page)
		capture(page, "statistiques-espace-responsable")
		# The charts, below the cards: the view scrolled down (a picture of the whole element would
		# resize the window, and frappe-charts redraws its percentage bars badly while it shrinks).
		graphique(page, GRAPHIQUES[-1]).scroll_into_view_if_needed()
		page.screenshot(path=str(ARTEFACTS / "statistiques-graphiques-responsable.png"))


def test_espace_de_travail_de_l_accueil_sans_montant(onglet, roles, monde_nv):
	"""The Agent d'accueil sees the counts, not the amounts card, and receives no amount."""
	with activite_du_navigateur(monde_nv):
		attendus = chiffres_de_la_structure()
		page = onglet("accueil")
		surveillance = roles.surveillances[page]
		ouvrir(page, roles.base_url, "/app/suivi-social")
		attendre_les_chiffres(page)
		for titre in CARTES:
			expect(carte(page, titre).locator(".number")).to_have_text(
				re.compile(rf"^\s*{re.escape(str(attendus[titre]))}\s*$")
			)
		expect(page.locator(".widget-title:visible", has_text=CARTE_AIDES)).to_have_count(0)
		assert CARTE_AIDES not in texte_visible(page)
		# Not even in what the browser received: the amount of the aid added here, Rose's (donnees.py),
		# their total.
		for url, corps in surveillance.reponses:
			assert "aides_accordees_de_l_annee" not in url
			for montant in ("250.0", "250,00", "412.65", "412,65", "662.65", "662,65"):
				assert montant not in corps, (montant, url)
		attendre_les_barres(page)
		capture(page, "statistiques-espace-accueil")


def test_rapport_d_activite_annuel_du_responsable(onglet, roles, monde_nv):
	"""The yearly report's page: the year and the structure chosen by default, the figures of the
	year in French (as the aggregation gives them to the Responsable), and both downloads."""
	from suivi_social.statistiques import rapport_annuel
	from tests.conftest import as_user

	with activite_du_navigateur(monde_nv):
		annee = getdate(today()).year
		with as_user(monde_nv.comptes["responsable"]):
			attendu = rapport_annuel.construire(annee, STRUCTURE)
		chiffres = {c["libelle"]: c["texte"] for c in attendu.chiffres}
		assert int(chiffres["Accompagnements"]) >= 5

		page = onglet("responsable")
		# From the workspace: the « Statistiques » card lists the reports, a shortcut opens the page.
		ouvrir(page, roles.base_url, "/app/suivi-social")
		# Leaving the workspace while its charts are drawn makes frappe-charts fail: let them finish.
		attendre_les_chiffres(page)
		attendre_les_barres(page)
		carte_statistiques = page.locator(
			".layout-main-section:visible .links-widget-box", has_text="Statistiques"
		)
		for lien in (
			"Rapport d'activité annuel",
			"Activité par typologie",
			"Profil des bénéficiaires",
			"Aides financières",
			"Rendez-vous",
		):
			expect(carte_statistiques.locator(".link-item", has_text=lien)).to_be_visible()
		page.locator(
			".layout-main-section:visible .shortcut-widget-box", has_text="Rapport d'activité annuel"
		).click()
		page.wait_for_url(re.compile(r"/app/rapport-activite$"))
		rapport = page.locator(".rapport-activite:visible")
		expect(rapport.locator(".rapport-sections")).to_be_visible()
		attendre_requetes(page)
		expect(page.locator(".page-head:visible .title-text")).to_have_text(
			f"Rapport d'activité {annee} — {STRUCTURE}"
		)
		for libelle in ("Accompagnements", "Bénéficiaires accompagnés", "Aides accordées", "Montant accordé"):
			bloc = rapport.locator(
				".rapport-chiffre", has=page.locator(".text-muted", has_text=re.compile(f"^{libelle}$"))
			)
			expect(bloc.locator(".rapport-chiffre-valeur")).to_have_text(chiffres[libelle])
		for titre in (
			"Activité mois par mois",
			"Activité par typologie",
			"Tranche d'âge",
			"Aides financières",
			"Rendez-vous",
		):
			expect(rapport.locator("h4", has_text=titre)).to_be_visible()
		typologies = rapport.locator("[data-section='typologies'] tbody tr")
		expect(typologies.filter(has_text="Domiciliation")).to_have_count(1)
		expect(rapport.locator("[data-section='genre']")).to_contain_text("Non renseigné")
		expect(rapport.locator("[data-section='typologies'] svg.frappe-chart")).to_be_visible()
		# Anonymous: no beneficiary's name on the page.
		visible = texte_visible(page)
		for nom in ("Petit", "Moreau", "Durand", "Secret"):
			assert nom not in visible, nom
		capture(page, "statistiques-rapport-annuel")
		# The full-page picture resized the window: the charts redraw before anything else.
		page.wait_for_timeout(500)

		with page.expect_download() as telechargement:
			page.locator(".page-head:visible button.primary-action", has_text="Télécharger le PDF").click()
		pdf = ARTEFACTS / f"rapport-activite-{annee}.pdf"
		telechargement.value.save_as(pdf)
		assert telechargement.value.suggested_filename == f"rapport-activite-{annee}-ccas-navigateur.pdf"
		assert pdf.read_bytes().startswith(b"%PDF")

		with page.expect_download() as telechargement:
			page.locator(".page-head:visible button", has_text="Télécharger le classeur Excel").click()
		assert telechargement.value.suggested_filename == f"rapport-activite-{annee}-ccas-navigateur.xlsx"
		from openpyxl import load_workbook

		xlsx = ARTEFACTS / f"rapport-activite-{annee}.xlsx"
		telechargement.value.save_as(xlsx)
		classeur = load_workbook(xlsx)
		assert classeur["Synthèse"]["A1"].value == f"Rapport d'activité {annee} — {STRUCTURE}"
