"""Platform hardening (issue 10 §4 and §5) that System Settings cannot express.

- Two-factor authentication, required per role: Frappe v15 turns it on for the role « All » on
  every save of System Settings with 2FA enabled (`SystemSettings.validate` calls
  `toggle_two_factor_auth(True, roles=["All"])`), that is for every user of the site. The app
  requires it from the roles that manage people and rights (ROLES_DOUBLE_AUTHENTIFICATION) and
  leaves it to the operator for the others (the « Authentification à deux facteurs » box of each
  Role); `appliquer_double_authentification` restores that after each save of System Settings.
  A site without an outgoing e-mail account can still enrol a user (`_send_token_via_email`,
  `cle_de_double_authentification`).
- Logins answered in French, and a locked account as HTTP 401 (`langue_avant_connexion`, `apply`).
- Security headers on every response (an after_request hook): Frappe sends none of them, bench's
  nginx template adds some in production only, and `./suivi run` serves without nginx.
- Bad input refused before Frappe's handler (a before_request hook) and in the app's methods
  (`lire_json`, `document_json`, `exiger_des_textes`): a JSON array or an unreadable body, a list or
  an object in a field, a number in a date, a text longer than its column, an unknown DocType
  answered HTTP 500 from deep inside Frappe (`frappe.new_doc(**data)`, `doc.update`, `get_doc`,
  the database). They now answer a 4xx with a French message, before any write
  (tests/securite/test_entrees_invalides.py).
"""

import json
import re

import frappe
import pyotp
from frappe import _, twofactor
from frappe.model import default_fields, table_fields

from suivi_social.roles import ADMINISTRATEUR, RESPONSABLE

# Who may invite, remove or re-assign colleagues, change rights, import and erase files; and the
# platform operator, who has every right on the site.
ROLES_DOUBLE_AUTHENTIFICATION = (RESPONSABLE, ADMINISTRATEUR, "System Manager")


def appliquer_double_authentification(doc=None, method=None) -> None:
	"""2FA required from ROLES_DOUBLE_AUTHENTIFICATION, not from every user (see the module
	docstring). Also the on_update of System Settings; idempotent (no write when already so)."""
	for role in ROLES_DOUBLE_AUTHENTIFICATION:
		if frappe.db.exists("Role", role) and not frappe.db.get_value("Role", role, "two_factor_auth"):
			frappe.db.set_value("Role", role, "two_factor_auth", 1)
	if frappe.db.get_value("Role", "All", "two_factor_auth"):
		frappe.db.set_value("Role", "All", "two_factor_auth", 0)


_original_send_token_via_email = twofactor.send_token_via_email


def _send_token_via_email(user, token, otp_secret, otp_issuer, subject=None, message=None):
	"""On a site without an outgoing e-mail account (a new CCAS site, the demo), Frappe's first
	login with 2FA failed with HTTP 501 (OutgoingEmailError) while mailing the QR code: the login
	page now says that the mail was not sent, and the operator hands the key over
	(`cle_de_double_authentification`)."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	if not EmailAccount.find_default_outgoing():
		return False
	return _original_send_token_via_email(user, token, otp_secret, otp_issuer, subject, message)


def apply() -> None:
	"""before_request hook (and at import): the login request needs the patch above."""
	if twofactor.send_token_via_email is not _send_token_via_email:
		twofactor.send_token_via_email = _send_token_via_email
	# A locked account (auth.get_login_attempt_tracker, the only user of SecurityException) answered
	# HTTP 500, which the login page shows as « Une erreur s'est produite ». As a 401, the page shows
	# Frappe's message: « Votre compte a été verrouillé et reprendra après 300 secondes ».
	frappe.SecurityException.http_status_code = 401


def cle_de_double_authentification(user: str) -> str:
	"""For the operator, on a site that cannot mail the QR code yet:
	`./suivi bench --site SITE execute suivi_social.durcissement.cle_de_double_authentification
	--args "['responsable@ccas.fr']"` prints the key and its QR code, to scan with an authenticator
	app (FreeOTP, Aegis, Google Authenticator…). Hand it over in person: with the password, it opens
	the account."""
	import pyqrcode

	secret = twofactor.get_otpsecret_for_(user)
	issuer = frappe.db.get_single_value("System Settings", "otp_issuer_name") or "Suivi social"
	uri = pyotp.TOTP(secret).provisioning_uri(user, issuer_name=issuer)
	print(pyqrcode.create(uri).terminal(quiet_zone=1))
	print(_("Clé à saisir dans l'application d'authentification : {0}").format(secret))
	return secret


def langue_avant_connexion() -> None:
	"""Frappe runs the login (wrong password, locked account, wrong code) before it reads the
	browser's language (auth.HTTPRequest: set_session, then set_lang), in the site's `lang`, which
	is `conf.lang or "en"` (frappe.init): a French site answers a login in French."""
	if frappe.conf.get("lang") != "fr":
		from frappe.installer import update_site_config

		update_site_config("lang", "fr")


# --- Security headers ------------------------------------------------------------------------

ENTETES = {
	# No other site may show the desk in a frame (clickjacking).
	"X-Frame-Options": "SAMEORIGIN",
	# A file downloaded from the site is never run as another type than the one it is sent as.
	"X-Content-Type-Options": "nosniff",
	# Addresses of the desk (/app/beneficiaire/…) are not sent to other sites.
	"Referrer-Policy": "same-origin",
}
# Only what does not break the desk: it runs inline scripts and evaluates form scripts, so a
# script-src policy would need nonces Frappe does not emit. These directives forbid framing by
# another site, plug-ins, a <base> tag rewriting relative URLs, and forms posting elsewhere.
CONTENT_SECURITY_POLICY = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
# One year, this host only: a CCAS domain often has sub-domains this site does not control.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def entetes_de_securite(response=None, request=None) -> None:
	"""after_request hook. Headers already set (by Frappe or a view) are kept."""
	if response is None:
		return
	if request is not None:
		corriger_corps_illisible(response, request)
	for header, value in ENTETES.items():
		response.headers.setdefault(header, value)
	if response.mimetype == "text/html":
		response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
	if request is not None and est_https(request):
		response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)


def est_https(request) -> bool:
	# Behind nginx, the scheme of the client's connection comes in X-Forwarded-Proto.
	return request.scheme == "https" or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


# --- Request bodies --------------------------------------------------------------------------


class CorpsInvalide(frappe.ValidationError):
	"""A request body the REST API cannot turn into a document."""

	http_status_code = 400


# Write endpoints of the REST API (frappe/api/v1.py and v2.py): a document's fields in the body.
ECRITURE_REST = re.compile(
	r"^/api/(?:v1/resource|(?P<v2>v2)/document|resource)/(?P<doctype>[^/]+)(?P<nom>/[^/].*)?$"
)
METHODES_D_ECRITURE = ("POST", "PUT", "PATCH")
# Bytes of a MariaDB TEXT column (Small Text, Text); a longer value fails in the database.
TAILLE_TEXT = 65_535
SCALAIRES = (str, int, float, bool, type(None))
NUMERIQUES = ("Int", "Float", "Currency", "Percent", "Check", "Rating", "Duration")
# Frappe parses these from a string; a number or a boolean fails inside its validation.
TEXTES_SEULEMENT = ("Date", "Datetime", "Time", "Link", "Dynamic Link")


# Frappe's dispatchers of controller methods: `docs` is the document, as JSON.
METHODES_DE_DOCUMENT = re.compile(r"^/api/(?:v1/)?method/(?:run_doc_method|runserverobj)/?$")


def verifier_corps_rest() -> None:
	"""before_request hook: the body of a REST write is an object whose values fit their fields;
	the `docs` of run_doc_method is a document and a method's `doctype` a DocType (anything else
	failed in frappe.get_doc or get_meta, HTTP 500)."""
	request = frappe.local.request
	# Every method that takes a `doctype` (Frappe's and the app's) names a DocType by it.
	doctype = frappe.local.form_dict.get("doctype")
	if request.path.startswith("/api/method/") and isinstance(doctype, str) and doctype:
		exiger_doctype(doctype)
	if METHODES_DE_DOCUMENT.match(request.path) and not frappe.local.form_dict.get("dt"):
		document_json(frappe.local.form_dict.docs, "docs")
		return
	route = ECRITURE_REST.match(request.path) if request.method in METHODES_D_ECRITURE else None
	# A POST on /resource/<doctype>/<name> runs a document method: its arguments, not fields.
	if not route or (request.method == "POST" and route["nom"]):
		return
	donnees = corps_de_la_requete(bool(route["v2"]))
	if not isinstance(donnees, dict):
		refuser(_("Le contenu envoyé doit être un objet JSON : des paires « champ » : valeur."))
	if frappe.db.exists("DocType", route["doctype"]):
		verifier_valeurs(frappe.get_meta(route["doctype"]), donnees)


def corps_de_la_requete(v2: bool):
	"""What frappe/api/v1.py get_request_form_data and v2's form_dict hand to the document."""
	if v2:
		form = frappe.local.form_dict
		# make_form_dict puts a JSON array body in form_dict["data"].
		return form["data"] if set(form) == {"data"} and isinstance(form["data"], list) else form
	data = frappe.local.form_dict.get("data")
	if data is None:
		data = frappe.safe_decode(frappe.local.request.get_data())
	if isinstance(data, str):
		try:
			return frappe.parse_json(data)
		except ValueError:
			return frappe.local.form_dict
	return data


# Keys Frappe sets on the document itself; a list or an object there (`flags` included) fails deep
# inside Frappe. Other unknown keys (the desk's « __onload », « __unsaved »…) are ignored by Frappe.
CHAMPS_STANDARD = (*default_fields, "flags")


def verifier_valeurs(meta, donnees: dict) -> None:
	for fieldname, value in donnees.items():
		df = meta.get_field(fieldname)
		if df and df.fieldtype in table_fields:
			verifier_table(df, value)
		elif (df or fieldname in CHAMPS_STANDARD) and not isinstance(value, SCALAIRES):
			refuser(
				_("Champ « {0} » : une valeur simple est attendue (un texte, un nombre ou une date).").format(
					libelle(meta, fieldname)
				)
			)
		elif df:
			verifier_valeur(meta, df, value)


def verifier_table(df, lignes) -> None:
	if lignes is None:
		return
	if not isinstance(lignes, list) or not all(isinstance(ligne, dict) for ligne in lignes):
		refuser(_("Champ « {0} » : une liste de lignes est attendue.").format(_(df.label)))
	enfant = frappe.get_meta(df.options)
	for ligne in lignes:
		verifier_valeurs(enfant, ligne)


def verifier_valeur(meta, df, value) -> None:
	if value is None:
		return
	nom = libelle(meta, df.fieldname)
	if df.fieldtype in NUMERIQUES:
		if not est_un_nombre(value):
			refuser(_("Champ « {0} » : un nombre est attendu.").format(nom))
	elif df.fieldtype in TEXTES_SEULEMENT and not isinstance(value, str):
		refuser(_("Champ « {0} » : un texte est attendu.").format(nom))
	elif isinstance(value, str) and (limite := longueur_maximale(df)) and trop_long(value, df, limite):
		if frappe.db.type_map[df.fieldtype][0] == "text":
			refuser(_("Champ « {0} » : texte trop long (64 Ko au plus).").format(nom))
		refuser(_("Champ « {0} » : texte trop long ({1} caractères au plus).").format(nom, limite))


def est_un_nombre(value) -> bool:
	if isinstance(value, bool | int):
		return True
	if isinstance(value, float):
		return value == value and abs(value) != float("inf")  # not NaN, not infinite
	if not value.strip():
		return True  # an emptied field: Frappe stores 0
	try:
		nombre = float(value.strip())
	except ValueError:
		return False
	return nombre == nombre and abs(nombre) != float("inf")


def longueur_maximale(df) -> int | None:
	type_sql, longueur = frappe.db.type_map.get(df.fieldtype, ("", ""))
	if type_sql == "varchar":
		return int(df.length or longueur or frappe.db.VARCHAR_LEN)
	if type_sql == "text":
		return TAILLE_TEXT
	return None


def trop_long(value: str, df, limite: int) -> bool:
	# A varchar counts characters, a TEXT column bytes.
	if frappe.db.type_map[df.fieldtype][0] == "text":
		return len(value.encode("utf-8")) > limite
	return len(value) > limite


def libelle(meta, fieldname: str) -> str:
	df = meta.get_field(fieldname)
	return _(df.label) if df and df.label else fieldname


def refuser(message: str) -> None:
	frappe.throw(message, CorpsInvalide, title=_("Requête invalide"))


def lire_json(valeur, parametre: str):
	"""frappe.parse_json for a request argument: malformed JSON is the client's error (HTTP 417,
	in French), where Frappe's JSONDecodeError answered HTTP 500."""
	try:
		return frappe.parse_json(valeur)
	except ValueError:
		parametre_invalide(_("Paramètre « {0} » : JSON illisible.").format(parametre))


def document_json(doc, parametre: str = "doc") -> dict:
	"""A document sent by the client (frappe.client.insert, save, submit): JSON of an object with
	its « doctype ». Frappe's own parsing failed on anything else with HTTP 500."""
	doc = lire_json(doc, parametre) if isinstance(doc, str) else doc
	if isinstance(doc, dict) and isinstance(doc.get("doctype"), str):
		exiger_doctype(doc["doctype"])
		verifier_valeurs(frappe.get_meta(doc["doctype"]), doc)
		return doc
	parametre_invalide(
		_("Paramètre « {0} » : un document JSON avec son « doctype » est attendu.").format(parametre)
	)


def exiger_doctype(doctype: str) -> None:
	"""Frappe imports the controller of any DocType name it is given (frappe.get_doc, get_meta):
	an unknown one failed with ImportError, HTTP 500."""
	if not frappe.db.exists("DocType", doctype):
		frappe.throw(_("Type de document « {0} » introuvable.").format(doctype), frappe.DoesNotExistError)


def exiger_des_textes(**valeurs) -> None:
	"""Arguments of methods whose Frappe signature has no type annotations (so no check of Frappe's
	own): a list or an object where a name is expected failed in SQL with HTTP 500."""
	for parametre, valeur in valeurs.items():
		if valeur is not None and not isinstance(valeur, str):
			parametre_invalide(
				_("Paramètre « {0} » : valeur invalide (type attendu : {1}).").format(parametre, "str")
			)


def parametre_invalide(message: str) -> None:
	from suivi_social.frappe_fixes import ParametreInvalide

	frappe.throw(message, ParametreInvalide, title=_("Requête invalide"))


def corriger_corps_illisible(response, request) -> None:
	"""A JSON body that is not valid JSON, or a bare string or number: Frappe's make_form_dict
	fails on it before any hook runs (JSONDecodeError, HTTP 500; or an English « Invalid request
	arguments »). The answer becomes HTTP 400 with a French message; nothing was read or written,
	since make_form_dict is the first step of the request."""
	if response.status_code < 400 or not request.is_json:
		return
	try:
		corps = json.loads(request.get_data(as_text=True) or "{}")
	except ValueError:
		corps = None
	else:
		if isinstance(corps, dict | list):
			return
	message = _("Le contenu envoyé n'est pas un objet JSON valide.")
	response.status_code = CorpsInvalide.http_status_code
	response.mimetype = "application/json"
	response.set_data(
		json.dumps(
			{
				"exc_type": "CorpsInvalide",
				"exception": f"suivi_social.durcissement.CorpsInvalide: {message}",
				"_server_messages": json.dumps(
					[json.dumps({"message": message, "title": _("Requête invalide"), "indicator": "red"})]
				),
			}
		)
	)


apply()
