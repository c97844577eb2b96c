"""What the browser tests share: the watch over each page, the real login, and desk form helpers.

Helpers find fields by their fieldname (`data-fieldname`, set by Frappe on every control) and
buttons by their French label, restricted to what is visible: the desk keeps the pages already
opened in the DOM, hidden.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, expect

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
JOURNAL_WEB = ARTEFACTS / "serveur-web.log"

# Installed in every page before Frappe's scripts: reports each frappe.msgprint (what the server's
# frappe.throw / msgprint and the client's errors become) and each « Erreur du Serveur » dialog
# (frappe.request.report_error, after an HTTP 500) to the test, even if the dialog is closed later.
ESPION = """
(() => {
	const signaler = (genre, detail) => {
		try { window.__nvSignaler(genre, JSON.stringify(detail)); } catch (e) {}
	};
	const texte = (x) => (x === undefined || x === null ? "" : typeof x === "string" ? x : JSON.stringify(x));
	const brancher = () => {
		const f = window.frappe;
		if (!f) return;
		if (f.msgprint && !f.msgprint.__nv) {
			const original = f.msgprint;
			const espion = function (msg, title) {
				let d = msg;
				if (typeof msg === "string") {
					try { d = msg.trim().startsWith("{") ? JSON.parse(msg) : { message: msg, title }; }
					catch (e) { d = { message: msg, title }; }
				}
				if (d && !Array.isArray(d.message) && !Array.isArray(d)) {
					signaler("msgprint", {
						message: texte(d.message), title: texte(d.title || title), indicator: texte(d.indicator),
					});
				}
				return original.apply(this, arguments);
			};
			espion.__nv = true;
			f.msgprint = espion;
		}
		if (f.request && f.request.report_error && !f.request.report_error.__nv) {
			const original = f.request.report_error;
			const espion = function (xhr) {
				signaler("erreur_serveur", { status: xhr && xhr.status, reponse: texte(xhr && xhr.responseText).slice(0, 3000) });
				return original.apply(this, arguments);
			};
			espion.__nv = true;
			f.request.report_error = espion;
		}
	};
	brancher();
	setInterval(brancher, 25);
})();
"""

# Text of Frappe's server-error dialog title, in French and in English.
TITRES_ERREUR = ("Erreur du Serveur", "Erreur du serveur", "Server Error")


@dataclass
class Surveillance:
	"""Everything that went wrong on one page; the `onglet` fixture asserts at teardown that there
	is nothing. A test that provokes an error on purpose empties `problemes` itself."""

	page: Page
	problemes: list[str] = field(default_factory=list)
	reponses: list[tuple[str, str]] = field(default_factory=list)
	# Every frappe.msgprint shown, red or not, as "title — text".
	messages: list[str] = field(default_factory=list)

	def __post_init__(self):
		page = self.page
		page.on("console", self._console)
		page.on("pageerror", lambda exc: self._noter(f"erreur JavaScript : {exc}"))
		page.on("response", self._reponse)
		page.on("requestfailed", self._echec)

	def _noter(self, texte: str) -> None:
		self.problemes.append(texte)

	def _console(self, message) -> None:
		if message.type == "error":
			where = message.location.get("url", "") if message.location else ""
			self._noter(f"console.error : {message.text} ({where})")

	def _reponse(self, response) -> None:
		if response.status >= 400:
			self._noter(f"HTTP {response.status} sur {response.request.method} {response.url}")
		elif "/api/method/" in response.url or "/api/resource/" in response.url:
			# Kept to check what reached the browser (test_accueil.py), whatever was displayed.
			try:
				self.reponses.append((response.url, response.text()))
			except Exception:
				pass

	def _echec(self, request) -> None:
		failure = request.failure or ""
		# A request aborted because the page navigated away is not a defect.
		if "ERR_ABORTED" in failure:
			return
		self._noter(f"requête échouée : {request.method} {request.url} ({failure})")

	def signal(self, genre: str, detail: str) -> None:
		d = json.loads(detail)
		if genre == "erreur_serveur":
			self._noter(f"boîte « Erreur du Serveur » (HTTP {d.get('status')}) : {d.get('reponse')}")
		elif genre == "msgprint":
			self.messages.append(f"{d.get('title')} — {texte_brut(d.get('message'))}")
			rouge = d.get("indicator") == "red" or any(t in d.get("title", "") for t in TITRES_ERREUR)
			if rouge:
				self._noter(f"message d'erreur affiché : {d.get('title')} — {texte_brut(d.get('message'))}")

	def verifier(self) -> None:
		# A dialog still open at the end, whichever way it was created.
		for boite in self.page.locator(".modal.show .modal-dialog").all():
			titre = boite.locator(".modal-title").inner_text().strip()
			if any(t in titre for t in TITRES_ERREUR) or boite.locator(".indicator.red").count():
				self._noter(f"boîte d'erreur ouverte : {titre} — {boite.inner_text()[:500]}")
		assert not self.problemes, "Problèmes relevés dans le navigateur :\n- " + "\n- ".join(self.problemes)


def texte_brut(html: str | None) -> str:
	return re.sub(r"<[^>]+>", " ", html or "").strip()


def installer_espion(context: BrowserContext, surveillances: dict) -> None:
	"""Once per context: the spy script, and its way back to the Surveillance of the page."""

	def recevoir(source, genre, detail):
		if surveillance := surveillances.get(source["page"]):
			surveillance.signal(genre, detail)

	context.expose_binding("__nvSignaler", recevoir)
	context.add_init_script(ESPION)


def capture(page: Page, nom: str) -> Path:
	ARTEFACTS.mkdir(exist_ok=True)
	chemin = ARTEFACTS / f"{nom}.png"
	page.screenshot(path=str(chemin), full_page=True)
	return chemin


# --- Login ------------------------------------------------------------------------------------


def se_connecter(page: Page, base_url: str, email: str, mot_de_passe: str) -> None:
	"""The real login page: French labels, fill the fields, click the button, land in the desk;
	for the roles that require two-factor authentication, type the code of the authenticator app."""
	page.goto(f"{base_url}/login")
	bouton = page.locator("form.form-login button.btn-login")
	expect(bouton).to_have_text("Connexion")
	page.locator("#login_email").fill(email)
	page.locator("#login_password").fill(mot_de_passe)
	bouton.click()
	page.wait_for_function(
		"() => /^\\/app(\\/|$)/.test(location.pathname) || !!document.querySelector('#login_token')"
	)
	if page.locator("#login_token").count():
		saisir_code_de_verification(page, code_de_verification(email))
	page.wait_for_url(re.compile(r"/app(/|$)"))
	attendre_desk(page)


def code_de_verification(email: str) -> str:
	"""What the user's authenticator app shows: the TOTP of their key (suivi_social.durcissement),
	created and committed with the browser tests' world (donnees.py)."""
	import pyotp
	from frappe.twofactor import get_otpsecret_for_

	return pyotp.TOTP(get_otpsecret_for_(email)).now()


def saisir_code_de_verification(page: Page, code: str) -> None:
	formulaire = page.locator("form.form-verify")
	expect(formulaire.locator("#verify_token")).to_have_text("Vérifier")
	formulaire.locator("#login_token").fill(code)
	formulaire.locator("#verify_token").click()


def attendre_desk(page: Page) -> None:
	"""The desk is booted and no request is pending (frappe.request.ajax_count)."""
	page.wait_for_function("() => window.frappe && frappe.boot && frappe.container && frappe.container.page")
	attendre_requetes(page)


def attendre_requetes(page: Page) -> None:
	page.wait_for_function("() => !frappe.request.ajax_count && !frappe.dom.freeze_count")


# --- Forms ------------------------------------------------------------------------------------


def ouvrir(page: Page, base_url: str, route: str) -> None:
	page.goto(f"{base_url}{route}")
	attendre_desk(page)


def formulaire_pret(page: Page, doctype: str) -> None:
	"""The current route is a form of this DocType, loaded and refreshed."""
	page.wait_for_function(
		"""(doctype) => window.cur_frm && cur_frm.doctype === doctype && cur_frm.doc
			&& frappe.get_route()[0] === "Form" && frappe.get_route()[1] === doctype
			&& !cur_frm.refreshing""",
		arg=doctype,
	)
	attendre_requetes(page)


def champ(dans: Page | Locator, fieldname: str) -> Locator:
	"""The input of a field by its fieldname, in the page or in a dialog (`dans`)."""
	return dans.locator(
		f"input[data-fieldname='{fieldname}']:visible, textarea[data-fieldname='{fieldname}']:visible, "
		f"select[data-fieldname='{fieldname}']:visible"
	).first


def controle(dans: Page | Locator, fieldname: str) -> Locator:
	"""The whole control of a field (label, and for a read-only field, its displayed value)."""
	return dans.locator(f".frappe-control[data-fieldname='{fieldname}']:visible").first


def page_de(dans: Page | Locator) -> Page:
	return dans if isinstance(dans, Page) else dans.page


def saisir(dans: Page | Locator, fieldname: str, valeur: str) -> None:
	"""Type a value in a field, then leave it.

	The value is filled in one input event: typed key by key on a loaded machine, a pause of the
	date control's debounce between two keys parses a half-typed date (« La date Invalid date doit
	être au format : dd/mm/yyyy »)."""
	entree = champ(dans, fieldname)
	entree.click()
	entree.fill(valeur)
	if entree.get_attribute("data-fieldtype") in ("Date", "Datetime", "Time"):
		# Close the date picker the field opened.
		page_de(dans).keyboard.press("Escape")
	entree.blur()
	attendre_requetes(page_de(dans))


def choisir_lien(dans: Page | Locator, fieldname: str, texte: str, option: str | None = None) -> None:
	"""A Link or Table MultiSelect field: type, then click the suggestion in the dropdown."""
	entree = champ(dans, fieldname)
	entree.click()
	entree.press_sequentially(texte, delay=20)
	page = page_de(dans)
	suggestion = page.locator("ul[role='listbox']:visible [role='option']", has_text=option or texte)
	suggestion.first.click()
	attendre_requetes(page)


def choisir(dans: Page | Locator, fieldname: str, option: str) -> None:
	champ(dans, fieldname).select_option(label=option)
	attendre_requetes(page_de(dans))


def enregistrer(page: Page) -> None:
	"""Click « Enregistrer » (Ctrl+S does the same)."""
	page.locator(".page-head:visible .primary-action", has_text="Enregistrer").click()


def attendre_enregistre(page: Page, doctype_route: str) -> str:
	"""The form was saved and left its « new-… » route: returns the document's name from the URL.

	Fails at once, with its text, if a message dialog (a refused save, « Erreur du Serveur »)
	opens instead."""
	etat = page.wait_for_function(
		"""(route) => {
			const boite = document.querySelector(".modal.show.msgprint-dialog, .modal.show .msgprint-dialog");
			if (boite) return { erreur: boite.innerText };
			const chemin = decodeURIComponent(location.pathname);
			if (window.cur_frm && !cur_frm.is_new() && !frappe.ui.form.is_saving
				&& new RegExp(`^/app/${route}/(?!new-)[^/]+$`).test(chemin)) {
				return { nom: chemin.split("/").pop() };
			}
			return false;
		}""",
		arg=doctype_route,
	).json_value()
	assert "erreur" not in etat, f"Enregistrement refusé : {etat['erreur']}"
	attendre_requetes(page)
	return etat["nom"]


def menu_creer(page: Page, entree: str) -> None:
	"""The « Créer » group of custom buttons of a form, then one of its entries."""
	page.locator(".page-head:visible .inner-group-button button", has_text="Créer").click()
	page.locator(".page-head:visible .dropdown-menu.show .dropdown-item", has_text=entree).first.click()


def boite(page: Page):
	"""The dialog on top (frappe.confirm, frappe.ui.Dialog)."""
	return page.locator(".modal.show:visible .modal-dialog").last


# Text an agent can read: rendered, not transparent, on screen; Frappe's fieldname tooltips
# (shown only while Ctrl is held), screen-reader texts and closed date pickers are left out. The
# values of visible inputs and the selected option of visible selects are included.
TEXTE_VISIBLE = """
() => {
	const exclus = ".tooltip-content, .visually-hidden, .sr-only, .datepicker:not(.active)";
	const visible = (e) => {
		if (!e || e.closest(exclus)) return false;
		if (!e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
		const r = e.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0;
	};
	const textes = [];
	const parcours = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (parcours.nextNode()) {
		const noeud = parcours.currentNode;
		const parent = noeud.parentElement;
		if (!noeud.textContent.trim() || !parent || ["SCRIPT", "STYLE", "OPTION"].includes(parent.tagName)) continue;
		if (visible(parent)) textes.push(noeud.textContent.trim());
	}
	for (const e of document.querySelectorAll("input, textarea, select")) {
		if (!visible(e)) continue;
		if (e.tagName === "SELECT") textes.push(e.selectedOptions[0] ? e.selectedOptions[0].text : "");
		else if (e.type !== "checkbox" && e.type !== "password") textes.push(e.value);
	}
	return textes.join("\\n");
}
"""


def texte_visible(page: Page) -> str:
	return page.evaluate(TEXTE_VISIBLE)
