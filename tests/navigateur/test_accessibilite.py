"""Accessibility of the screens agents use (docs/accessibilite.md): axe-core on each of them, and
the keyboard-only walk of the Accueil page.

axe-core comes from the npm registry into the cache outside the repository (`./suivi setup`,
ensure_axe_core); SUIVI_AXE_CORE names another copy of axe.min.js. It is injected into the page once
the desk has drawn it, and run on the whole document. A « serious » or « critical » violation fails
the test unless it is one of Frappe's desk listed in accessibilite.json, and therefore in
docs/accessibilite.md (test_le_document_nomme_chaque_violation_acceptee). An entry of that list
that is no longer seen on its pages fails too (test_chaque_violation_acceptee_est_encore_vue), so
that the document stays true both ways. Every violation found, whatever its impact, is written to
artefacts/axe-<page>.json, next to the page's screenshot.
"""

import json
import os
import re
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.navigateur.outils import ARTEFACTS, attendre_requetes, capture, formulaire_pret, ouvrir

ICI = Path(__file__).resolve().parent
CACHE = Path(
	os.environ.get("SUIVI_CACHE_DIR")
	or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "suivi-social"
)
AXE = Path(
	os.environ.get("SUIVI_AXE_CORE") or CACHE / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
)
LISTE = json.loads((ICI / "accessibilite.json").read_text())
# The version `./suivi setup` installs, whose rules the accepted violations were drawn up with.
VERSION_AXE = LISTE["axe_core"]
ACCEPTEES = LISTE["violations_acceptees"]
DOCUMENT = ICI.parents[1] / "docs" / "accessibilite.md"
GRAVES = ("serious", "critical")
PAGES = (
	"accueil",
	"formulaire-beneficiaire",
	"formulaire-accompagnement",
	"liste-beneficiaire",
	"liste-accompagnement",
	"espace-suivi-social",
	"assistant-import",
)
# Serious and critical violations seen in this session, page by page: (rule, target) pairs.
VUES: dict[str, set[tuple[str, str]]] = {}

AXE_RUN = """async (propre) => {
	// The app's fixes (public/js/accessibilite.js) are applied on the next animation frame.
	await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
	// Colours are measured once the fades (tabs, dialogs) are over.
	for (let i = 0; i < 40 && document.getAnimations().some((a) => a.playState === "running"); i++) {
		await new Promise((r) => setTimeout(r, 50));
	}
	const r = await axe.run(document, { resultTypes: ["violations"] });
	return { version: axe.version, violations: r.violations.flatMap((v) => v.nodes.map((n) => ({
		regle: v.id, impact: n.impact || v.impact, cible: n.target.join(" "), aide: v.help,
		html: n.html.slice(0, 300), resume: n.failureSummary,
		// Inside the app's own content (the `propre` selector), where no violation is accepted.
		propre: !!(propre && document.querySelector(n.target[0])?.closest(propre)),
	}))) };
}"""


def acceptee(page: str, violation: dict) -> dict | None:
	for entree in ACCEPTEES:
		if (
			entree["regle"] == violation["regle"]
			and page in entree["pages"]
			and any(fnmatchcase(violation["cible"], cible) for cible in entree["cibles"])
		):
			return entree
	return None


class Analyse:
	"""axe-core on the successive states of one page; `verifier()` fails on a serious or critical
	violation that is not an accepted one of Frappe's desk, and on any violation inside the app's
	own content (`propre`) or of the rules the page must pass (`regles_propres`)."""

	def __init__(self, page, nom: str, propre: str | None = None, regles_propres: tuple[str, ...] = ()):
		# propre: the app's own content, where no violation, whatever its impact, is accepted;
		# regles_propres: rules that must pass on the whole page.
		self.page, self.nom, self.propre, self.regles_propres = page, nom, propre, regles_propres
		self.toutes: list[dict] = []

	def analyser(self, etat: str) -> None:
		if not AXE.exists():
			pytest.fail(
				f"{AXE} absent : « ./suivi setup » installe axe-core (ou SUIVI_AXE_CORE=chemin/axe.min.js)."
			)
		attendre_requetes(self.page)
		if not self.page.evaluate("() => !!window.axe"):
			self.page.add_script_tag(path=str(AXE))
		resultat = self.page.evaluate(AXE_RUN, self.propre)
		assert resultat["version"] == VERSION_AXE, (
			f"axe-core {resultat['version']} dans {AXE}, la liste est établie avec {VERSION_AXE} : "
			"relancez « ./suivi setup »."
		)
		for violation in resultat["violations"]:
			violation.update(etat=etat, axe=resultat["version"])
		self.toutes += resultat["violations"]
		capture(self.page, f"accessibilite-{self.nom}-{etat}")

	def verifier(self) -> None:
		(ARTEFACTS / f"axe-{self.nom}.json").write_text(json.dumps(self.toutes, ensure_ascii=False, indent=1))
		graves = [v for v in self.toutes if v["impact"] in GRAVES]
		VUES.setdefault(self.nom, set()).update((v["regle"], v["cible"]) for v in graves)
		nouvelles = {
			f"{v['impact']} {v['regle']} ({v['etat']}) : {v['cible']} — {v['aide']}\n    {v['html'][:200]}"
			for v in self.toutes
			if (v["impact"] in GRAVES and not acceptee(self.nom, v))
			or v["propre"]
			or v["regle"] in self.regles_propres
		}
		assert not nouvelles, (
			f"Violations d'accessibilité sur « {self.nom} » (artefacts/axe-{self.nom}.json) :\n- "
			+ "\n- ".join(sorted(nouvelles))
		)


def test_accueil(onglet, roles):
	"""The Accueil page, empty, with results and the proposal to create a file, and its dialog."""
	page = onglet("accueil")
	ouvrir(page, roles.base_url, "/app/accueil")
	analyse = Analyse(
		page,
		"accueil",
		propre=".accueil, .modal",
		regles_propres=("heading-order", "page-has-heading-one", "landmark-one-main", "region"),
	)
	analyse.analyser("vide")
	page.get_by_label("Rechercher une personne").fill("Moreau Claire")
	expect(page.locator(".accueil-resultat").first).to_contain_text("MOREAU Claire")
	expect(page.locator(".accueil-creer")).to_be_visible()
	analyse.analyser("resultats")
	page.locator(".accueil-resultat").first.focus()
	page.keyboard.press("m")
	expect(page.locator(".modal.show .modal-title")).to_contain_text("Laisser un message")
	analyse.analyser("message")
	page.keyboard.press("Escape")
	expect(page.locator(".modal.show")).to_have_count(0)
	analyse.verifier()


def test_formulaire_beneficiaire(onglet, roles):
	"""Each tab of a file's form, as the Travailleur social."""
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{roles.monde.dossier_claire}")
	formulaire_pret(page, "Beneficiaire")
	analyse = Analyse(page, "formulaire-beneficiaire")
	onglets = page.locator(".form-tabs-list:visible .nav-link")
	assert onglets.count() >= 4
	for i in range(onglets.count()):
		onglets.nth(i).click()
		analyse.analyser(onglets.nth(i).get_attribute("data-fieldname"))
	analyse.verifier()


def test_formulaire_accompagnement(onglet, roles):
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/accompagnement/{roles.monde.accompagnement_leon}")
	formulaire_pret(page, "Accompagnement")
	analyse = Analyse(page, "formulaire-accompagnement")
	analyse.analyser("enregistre")
	analyse.verifier()


@pytest.mark.parametrize("doctype", ["beneficiaire", "accompagnement"])
def test_liste(onglet, roles, doctype):
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, f"/app/{doctype}")
	expect(page.locator(".list-row-container:visible").first).to_be_visible()
	analyse = Analyse(page, f"liste-{doctype}")
	analyse.analyser("liste")
	analyse.verifier()


def test_espace_suivi_social(onglet, roles):
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, "/app/suivi-social")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Suivi social")
	analyse = Analyse(page, "espace-suivi-social")
	analyse.analyser("espace")
	analyse.verifier()


def test_assistant_d_import(onglet, roles):
	"""The first step of the import of a workbook (imports/), as the Administrateur Suivi social."""
	page = onglet("administrateur")
	ouvrir(page, roles.base_url, "/app/import-classeur/new")
	formulaire_pret(page, "Import Classeur")
	analyse = Analyse(page, "assistant-import")
	analyse.analyser("nouveau")
	analyse.verifier()


def test_chaque_violation_acceptee_est_encore_vue():
	"""An accepted violation that Frappe or the app no longer shows leaves the list and the
	document (after the page tests above, which run first: same file, in order)."""
	if set(VUES) != set(PAGES):
		pytest.skip("Toutes les pages n'ont pas été analysées (tests précédents non lancés ou en échec).")
	disparues = [
		f"{e['regle']} {cible} sur {page}"
		for e in ACCEPTEES
		for page in e["pages"]
		for cible in e["cibles"]
		if not any(r == e["regle"] and fnmatchcase(c, cible) for r, c in VUES[page])
	]
	assert not disparues, (
		"Violations acceptées qui ne sont plus vues : retirez-les de tests/navigateur/accessibilite.json "
		"et de docs/accessibilite.md :\n- " + "\n- ".join(disparues)
	)


def test_une_violation_n_est_acceptee_que_sur_ses_ecrans_et_ses_cibles(monkeypatch):
	"""The matching of the list, whatever it holds today (it may be empty)."""
	entree = {"regle": "list", "cibles": [".sidebar-menu:nth-child(*)"], "pages": ["liste-beneficiaire"]}
	monkeypatch.setattr(f"{__name__}.ACCEPTEES", [entree])
	violation = {"regle": "list", "cible": ".sidebar-menu:nth-child(2)"}
	assert acceptee("liste-beneficiaire", violation) is entree
	assert acceptee("accueil", violation) is None
	assert acceptee("liste-beneficiaire", {**violation, "regle": "listitem"}) is None
	assert acceptee("liste-beneficiaire", {**violation, "cible": ".list-row-checkbox"}) is None


def test_le_document_nomme_chaque_violation_acceptee():
	texte = DOCUMENT.read_text()
	absentes = [
		f"{e['regle']} {cible}"
		for e in ACCEPTEES
		for cible in e["cibles"]
		if f"`{e['regle']}`" not in texte or f"`{cible}`" not in texte
	]
	assert not absentes, "Violations acceptées absentes de docs/accessibilite.md :\n- " + "\n- ".join(
		absentes
	)


# --- Keyboard ---------------------------------------------------------------------------------

FOCUS_VISIBLE = """() => {
	const el = document.activeElement;
	const s = getComputedStyle(el);
	const contour = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
	const ombre = s.boxShadow && s.boxShadow !== "none";
	return { contour, ombre, texte: (el.getAttribute("aria-label") || el.id || el.textContent).trim().slice(0, 80) };
}"""


def focus_visible(page, attendu: str) -> None:
	"""The focused element shows it: an outline or a box shadow (RGAA 10.7)."""
	etat = page.evaluate(FOCUS_VISIBLE)
	assert etat["contour"] or etat["ombre"], f"Le focus sur « {attendu} » ({etat['texte']}) ne se voit pas"


def test_parcours_clavier_de_l_accueil(onglet, roles):
	"""The Agent d'accueil with the keyboard only, from the login (test_page_accueil.py drives the
	shortcuts and the dialogs): the search box has the focus, Tab goes through the page in reading
	order, every focused element shows it, Escape brings back to the box, Enter opens the file."""
	page = onglet("accueil", connexion=True)
	page.wait_for_url("**/app/accueil")
	boite = page.get_by_label("Rechercher une personne")
	expect(boite).to_be_focused()
	focus_visible(page, "Rechercher une personne")

	page.keyboard.type("moreau claire", delay=30)
	resultat = page.locator(".accueil-resultat").first
	expect(resultat).to_contain_text("MOREAU Claire")
	attendre_requetes(page)
	# Tab: the archives box, then the first result (one tab stop for the list), then its buttons.
	page.keyboard.press("Tab")
	expect(page.locator("#accueil-archives")).to_be_focused()
	focus_visible(page, "Inclure les dossiers archivés")
	page.keyboard.press("Tab")
	expect(resultat).to_be_focused()
	focus_visible(page, "le premier résultat")
	page.keyboard.press("Tab")
	ouvrir_le_dossier = resultat.locator("button[data-action='ouvrir']")
	expect(ouvrir_le_dossier).to_be_focused()
	focus_visible(page, "Ouvrir le dossier")
	capture(page, "accessibilite-clavier-accueil")
	page.keyboard.press("Tab")
	expect(resultat.locator("button[data-action='passage']")).to_be_focused()
	focus_visible(page, "Noter un passage")
	# Shift+Tab goes back the same way.
	page.keyboard.press("Shift+Tab")
	expect(ouvrir_le_dossier).to_be_focused()
	# Escape: back in the box, its text selected to type the next name.
	page.keyboard.press("Escape")
	expect(boite).to_be_focused()
	assert page.evaluate(
		"() => document.activeElement.selectionEnd - document.activeElement.selectionStart"
	) == len("moreau claire")
	# Enter searches and goes to the result; Tab to « Ouvrir le dossier », Enter opens the file.
	page.keyboard.press("Enter")
	expect(resultat).to_be_focused()
	page.keyboard.press("Tab")
	expect(ouvrir_le_dossier).to_be_focused()
	page.keyboard.press("Enter")
	page.wait_for_url(f"**/app/beneficiaire/{roles.monde.dossier_claire}")
	formulaire_pret(page, "Beneficiaire")


def test_l_autocompletion_parle_francais_aux_lecteurs_d_ecran(onglet, roles):
	"""Frappe's autocomplete announces its results in a hidden live region, in English; the app's
	accessibilite.js gives it French, at each step a screen reader user hears."""
	page = onglet("travailleur")
	ouvrir(page, roles.base_url, "/app/accompagnement/new")
	formulaire_pret(page, "Accompagnement")
	champ = page.locator("input[data-fieldname='beneficiaire']:visible").first
	statut = champ.locator("xpath=following-sibling::span[@role='status']")
	expect(statut).to_have_count(1)
	champ.click()
	expect(statut).not_to_have_text(re.compile(r"results|Begin typing"))
	champ.press_sequentially("Claire", delay=30)
	expect(
		page.locator("ul[role='listbox']:visible [role='option']", has_text="Claire").first
	).to_be_visible()
	expect(statut).to_have_text(re.compile(r"^\d+ résultats?$"))
	champ.press("ArrowDown")
	expect(champ).to_have_attribute("aria-activedescendant", re.compile(r"_item_\d+$"))
	expect(statut).to_have_text(re.compile(r", élément \d+ sur \d+$"))
	capture(page, "autocompletion-francais")
