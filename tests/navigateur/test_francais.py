"""French everywhere, as each role reads the desk after a real login: the workspace, the lists, a
Bénéficiaire form, a new Accompagnement, the Accueil page and a report, in French, with dates as
dd/mm/yyyy, and agents named by their full name, never by their e-mail address.

The English words are those of Frappe's desk seen untranslated on these screens (Frappe's own
fr.po leaves them empty), and the clumsy French ones are those our locale/fr.po replaces: each is
matched as a whole phrase, case-sensitive, in the text the agent reads (innerText of the page, and
the values and placeholders of the visible fields). The test world holds no English data.
"""

import re

import frappe
import pytest
from frappe.utils import add_days, getdate, today
from playwright.sync_api import expect

from tests.factories import make_accompagnement, make_beneficiaire
from tests.navigateur.donnees import DOMAINE, STRUCTURE, TYPE_SIMPLE, libelle_compte
from tests.navigateur.outils import attendre_requetes, capture, champ, controle, formulaire_pret, ouvrir
from tests.navigateur.test_mes_rappels import rappels_du_travailleur

# Frappe's desk words that its French leaves in English on the agents' screens.
ANGLAIS = (
	"Filter By",
	# The form's history (version_timeline_content_builder.js).
	"changed the value",
	"You changed",
	"Edit Filters",
	"Save Filter",
	"Show Saved",
	"Assigned To",
	"Created By",
	"Tags",
	"Show Tags",
	"List View",
	"Report View",
	"Report:",
	"Connections",
	"Add Row",
	"Add Multiple",
	"Not permitted",
	"Not allowed via controller permission check",
	"Not Saved",
	"New",
	"Save",
	"Add",
	"Edit",
	"Like",
	"Comment",
	"Activity",
	"Attach",
	"Help",
	"Tools",
	"Build",
	"No Data",
	"Last Updated On",
	"Advanced Search",
	"You haven't created",
	"Create your first",
	"Custom Reports",
	"Loading...",
	"Not Set",
	# Read aloud to screen-reader users.
	"No new notifications",
	# The time zone Frappe writes under every Datetime field (public/js/fuseau_horaire.js).
	"Europe/Paris",
)
# Frappe's French that our fr.po replaces: machine-like, or a gender guessed with « (elle) ».
MALADROIT = (
	"Nouveau(elle)",
	"nouveau(elle)",
	"Non Sauvegardé",
	"Sauvegarder",
	"Établi par",
	"Balises",
	"Voir les étiquettes",
	"Aidez-moi",
	"Dernière Mise à Jour",
	"Pas permis",
	"Aucune Donnée",
	"Recherche Avancée",
	"Rapports Personnalisés",
	"a édité ceci",
	"a créé ceci",
	"Responsable Système",
)
INTERDITS = ANGLAIS + MALADROIT
DATE_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# An agent's address: the test world's accounts are all on this domain.
ADRESSE = re.compile(rf"[\w.+-]+@{re.escape(DOMAINE)}")

# What the agent reads: the rendered text (inline pieces such as the underlined access key of
# « Enregistrer » joined), and the values and placeholders of the visible fields.
TEXTE_LU = """
() => {
	const visible = (e) => e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
		&& e.getBoundingClientRect().width > 0;
	const textes = [document.body.innerText];
	for (const e of document.querySelectorAll("input, textarea, select")) {
		if (!visible(e) || e.type === "checkbox" || e.type === "password") continue;
		textes.push(e.tagName === "SELECT" ? (e.selectedOptions[0] || {}).text || "" : e.value);
		if (e.placeholder) textes.push(e.placeholder);
	}
	return textes.join("\\n");
}
"""


def fautes(texte: str, dates: bool = True) -> list[str]:
	trouvees = [
		f"« {mot} »" for mot in INTERDITS if re.search(rf"(?<![\w'’(-]){re.escape(mot)}(?![\w'’)-])", texte)
	]
	if dates:
		trouvees += [f"date ISO {d}" for d in dict.fromkeys(DATE_ISO.findall(texte))]
	trouvees += [f"adresse e-mail {a}" for a in dict.fromkeys(ADRESSE.findall(texte))]
	return trouvees


class Lecture:
	"""The pages a role walks, each captured, and everything wrong they show."""

	def __init__(self, page, role: str):
		self.page, self.role, self.erreurs, self.numero = page, role, [], 0

	def lire(self, quoi: str, dates: bool = True) -> str:
		attendre_requetes(self.page)
		self.numero += 1
		capture(self.page, f"francais-{self.role}-{self.numero:02d}")
		texte = self.page.evaluate(TEXTE_LU)
		self.erreurs += [f"{quoi} : {faute}" for faute in fautes(texte, dates)]
		return texte

	def attendu(self, texte: str, quoi: str, francais: str) -> None:
		"""A French word the page must show (the words above are looked for where they are)."""
		if francais not in texte:
			self.erreurs.append(f"{quoi} : « {francais} » absent")

	def ouvrir(self, base_url: str, route: str, quoi: str, dates: bool = True) -> str:
		ouvrir(self.page, base_url, route)
		return self.lire(quoi, dates)


@pytest.fixture(scope="module")
def dossier_suivi(monde_nv):
	"""A file with two référents and an appointment in three days (its « Prochain rendez-vous », a
	Datetime, is shown), and rappels of two agents; committed for the web server, deleted after the
	module (the appointment would hold Théo's time for the journey tests)."""
	travailleur, responsable = monde_nv.comptes["travailleur"], monde_nv.comptes["responsable"]
	dossier = make_beneficiaire(
		STRUCTURE,
		nom_usage="Bertin",
		prenoms="Lucienne",
		date_naissance="1950-06-17",
		referents=[{"user": travailleur}, {"user": responsable}],
	)
	type_simple = frappe.db.get_value("Type Accompagnement", {"structure": STRUCTURE, "nom": TYPE_SIMPLE})
	rendez_vous = make_accompagnement(
		dossier.name,
		type_simple,
		travailleur,
		date=str(add_days(today(), 3)),
		heure="07:30:00",
		mode="Accueil physique sur rendez-vous",
		statut="Planifié",
	)
	frappe.db.commit()
	assert frappe.db.get_value("Beneficiaire", dossier.name, "prochain_rendez_vous")
	try:
		with rappels_du_travailleur(monde_nv):
			yield dossier.name
	finally:
		frappe.db.rollback()
		for doctype, name in (("Accompagnement", rendez_vous.name), ("Beneficiaire", dossier.name)):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()


def nom_complet(role: str) -> str:
	return f"{libelle_compte(role)} Navigateur"


ROLES = ("travailleur", "responsable", "accueil", "administrateur")


@pytest.mark.parametrize("role", ROLES)
def test_le_bureau_parle_francais(onglet, roles, monde_nv, dossier_suivi, role):
	page = onglet(role, connexion=True)
	lecture = Lecture(page, role)
	base = roles.base_url
	soi = nom_complet(role)
	lecture.lire("Page d'arrivée après la connexion")

	lecture.ouvrir(base, "/app/suivi-social", "Espace de travail Suivi social")

	# The lists, with their sidebar (filters, assigned to, created by, tags) and view switcher.
	texte = lecture.ouvrir(base, "/app/beneficiaire", "Liste des bénéficiaires")
	for francais in ("Filtrer par", "Modifier les filtres", "Créé par", "Étiquettes", "Vue liste"):
		lecture.attendu(texte, "Liste des bénéficiaires", francais)
	lecture.ouvrir(base, "/app/accompagnement", "Liste des accompagnements")
	# Filtered by the URL: a filter saved in the user's list settings by an earlier test would hide it.
	texte = lecture.ouvrir(base, "/app/rappel?titre=Rappel%20de%20la%20responsable", "Liste des rappels")
	# The colleague's rappel names her, not her address.
	ligne = page.locator(".frappe-list:visible .list-row", has_text="Rappel de la responsable")
	expect(ligne).to_contain_text(nom_complet("responsable"))
	# Its words only: Frappe's Report view draws a « docstatus » column that its rows do not carry
	# (report_view.js setup_columns after a refresh), so each value from the 4th column on sits one
	# column to the right, unformatted, a date in ISO under « Prénoms ». A Frappe bug, not a
	# translation: left to the issue, not hidden by this test's date check.
	lecture.ouvrir(base, "/app/beneficiaire/view/report", "Vue rapport des bénéficiaires", dates=False)

	# A file: its référents by name, its next appointment without a time zone.
	ouvrir(page, base, f"/app/beneficiaire/{dossier_suivi}")
	formulaire_pret(page, "Beneficiaire")
	referents = controle(page, "referents")
	for agent in ("travailleur", "responsable"):
		expect(referents).to_contain_text(nom_complet(agent))
	rendez_vous = controle(page, "prochain_rendez_vous")
	expect(rendez_vous).to_contain_text(getdate(add_days(today(), 3)).strftime("%d/%m/%Y"))
	texte = lecture.lire("Fiche d'un bénéficiaire")
	# Frappe's « Connections » section: the file's accompaniments and rappels.
	lecture.attendu(texte, "Fiche d'un bénéficiaire", "Documents liés")

	# A new Accompagnement: its title, the Bénéficiaire search (birth dates), the agent by name.
	ouvrir(page, base, "/app/accompagnement/new")
	formulaire_pret(page, "Accompagnement")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Nouvel accompagnement")
	if role != "administrateur":
		expect(champ(page, "agent")).to_have_value(soi)
		beneficiaire = champ(page, "beneficiaire")
		beneficiaire.click()
		beneficiaire.press_sequentially("Bertin", delay=20)
		suggestion = page.locator("ul[role='listbox']:visible [role='option']", has_text="Bertin")
		expect(suggestion.first).to_contain_text("né(e) le 17/06/1950")
	lecture.lire("Nouvel accompagnement")
	page.keyboard.press("Escape")

	# The Accueil page, with a person found: born on dd/mm/yyyy, the référents by name.
	ouvrir(page, base, "/app/accueil")
	page.get_by_label("Rechercher une personne").fill("Bertin Lucienne")
	resultat = page.locator(".accueil-resultat", has_text="BERTIN")
	expect(resultat.first).to_contain_text("17/06/1950")
	expect(resultat.first).to_contain_text(nom_complet("travailleur"))
	lecture.lire("Page Accueil")

	if role in ("responsable", "administrateur"):
		ouvrir(page, base, "/app/query-report/Activite par typologie")
		expect(page.locator(".page-head:visible .title-text")).to_have_text("Activité par typologie")
		page.locator(".dt-scrollable:visible, .no-result:visible").first.wait_for()
		lecture.lire("Rapport Activité par typologie")

	assert not lecture.erreurs, (
		f"{role} lit de l'anglais, du français maladroit ou des données mal formatées :\n"
		+ "\n".join(dict.fromkeys(lecture.erreurs))
	)
