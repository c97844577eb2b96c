"""One site per CCAS (issue #8 §1): a site's structure and its first Responsable, in one step.

Each CCAS (or intercommunal group) gets its own site on the shared bench, because Frappe's no-code
tools (Customize Form, Custom Field, Print Format, Report Builder, Notification…) act on a whole
site, and because separate databases are the strongest isolation for social data. A site may still
hold several structures, isolated from each other as on any site.

`./suivi new-ccas` creates the site (bench new-site, with the MariaDB admin account) and then runs
the `nouvelle-structure-ccas` bench command (commands.py), which calls `provisionner` below. Both
are re-runnable: a second run with the same structure and responsable changes nothing and says so;
a run with another structure adds it to the site.
"""

import re
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import cint, validate_email_address

from suivi_social.exceptions import DonneeInvalide
from suivi_social.permissions.structure import UNRESTRICTED_ROLES, is_agent_of
from suivi_social.roles import RESPONSABLE
from suivi_social.utils.identite import cle_recherche

# Words of a structure's name left out when its file-number prefix is derived from it.
MOTS_SANS_PREFIXE = {
	"ccas",
	"cias",
	"centre",
	"communal",
	"intercommunal",
	"action",
	"sociale",
	"social",
	"de",
	"du",
	"des",
	"d",
	"la",
	"le",
	"les",
	"l",
	"et",
}
# Frappe refuses these characters in a document name (frappe.model.naming.validate_name).
CARACTERES_INTERDITS = re.compile(r"[<>\x00-\x1f]")
# The length of a Data field, hence of a Structure's name.
LONGUEUR_MAX_NOM = 140


class ProvisionnementRefuse(DonneeInvalide):
	"""The provisioning of a CCAS site refused its input, or refused to change what exists."""


@dataclass
class Saisie:
	"""The checked and normalised input of one provisioning."""

	structure: str
	responsable: str
	prenom: str
	nom: str
	prefixe: str
	prefixe_donne: bool
	type_structure: str
	type_donne: bool


def refuser(message: str) -> None:
	frappe.throw(message, ProvisionnementRefuse, title=_("Saisie refusée"))


def verifier_saisie(
	structure: str | None,
	responsable: str | None,
	prefixe: str | None = None,
	type_structure: str | None = None,
	prenom: str | None = None,
	nom: str | None = None,
) -> Saisie:
	"""Check the input without touching the site: ./suivi new-ccas calls it (`--verifier`) before it
	creates a site, so that a typo never leaves a half-provisioned site behind."""
	structure = " ".join((structure or "").split())
	if not structure:
		refuser(_("Structure : le nom de la structure est obligatoire (--structure « CCAS de … »)."))
	if len(structure) > LONGUEUR_MAX_NOM:
		refuser(_("Structure : le nom ne doit pas dépasser {0} caractères.").format(LONGUEUR_MAX_NOM))
	if CARACTERES_INTERDITS.search(structure):
		refuser(_("Structure : le nom ne doit contenir ni < ni >."))

	adresse = (responsable or "").strip()
	if not adresse:
		refuser(_("Responsable : l'adresse e-mail du responsable est obligatoire (--responsable)."))
	if not validate_email_address(adresse):
		refuser(_("Responsable : « {0} » n'est pas une adresse e-mail valide.").format(adresse))
	adresse = adresse.lower()

	prenom, nom = (prenom or "").strip(), (nom or "").strip()
	if not (prenom and nom):
		deduit = prenom_nom_de(adresse)
		if not deduit:
			refuser(
				_(
					"Responsable : impossible de déduire le prénom et le nom de « {0} » "
					"(adresse de la forme prenom.nom@…) : indiquez --prenom et --nom."
				).format(adresse)
			)
		prenom, nom = prenom or deduit[0], nom or deduit[1]

	prefixe_donne = bool((prefixe or "").strip())
	prefixe = (prefixe or "").strip().upper() if prefixe_donne else prefixe_de(structure)
	if not re.fullmatch(r"[A-Z0-9]{2,10}", prefixe):
		if prefixe_donne:
			refuser(
				_("Préfixe : « {0} » doit compter 2 à 10 lettres ou chiffres, sans espace ni accent.").format(
					prefixe
				)
			)
		refuser(_("Préfixe : impossible de le déduire de « {0} » : indiquez --prefixe.").format(structure))

	types = types_de_structure()
	type_donne = bool((type_structure or "").strip())
	if type_donne:
		connu = {t.lower(): t for t in types}.get(type_structure.strip().lower())
		if not connu:
			refuser(
				_("Type : « {0} » n'est pas un type de structure ({1}).").format(
					type_structure.strip(), ", ".join(types)
				)
			)
		type_structure = connu
	else:
		type_structure = "CCAS" if "CCAS" in types else types[0]

	return Saisie(structure, adresse, prenom, nom, prefixe, prefixe_donne, type_structure, type_donne)


def prenom_nom_de(email: str) -> tuple[str, str] | None:
	"""("Marie", "Dupont") from marie.dupont@…, None when the address does not say."""
	parties = [p for p in re.split(r"[._]+", email.split("@")[0]) if p and not p.isdigit()]
	if len(parties) < 2:
		return None
	return parties[0].title(), " ".join(parties[1:]).title()


def prefixe_de(structure: str) -> str:
	"""A file-number prefix from a structure's name: « CCAS de Montreuil » → MON,
	« CIAS du Val de Loire » → VL. What cannot make a valid prefix is refused by the caller."""
	mots = cle_recherche(structure).split()
	utiles = [m for m in mots if m not in MOTS_SANS_PREFIXE] or mots
	if len(utiles) == 1:
		return utiles[0][:3].upper()
	return "".join(m[0] for m in utiles)[:10].upper()


def types_de_structure() -> list[str]:
	"""The options of Structure.type_structure: the site's (a manager may customise them), or the
	DocType's own when no site is connected (`--verifier`, before the site exists)."""
	if getattr(frappe.local, "db", None):
		options = frappe.get_meta("Structure").get_options("type_structure")
	else:
		doctype = frappe.get_file_json(
			frappe.get_app_path("suivi_social", "structures", "doctype", "structure", "structure.json")
		)
		options = next(f["options"] for f in doctype["fields"] if f["fieldname"] == "type_structure")
	return [o for o in options.split("\n") if o]


def verifier_operateur() -> None:
	"""Only the platform operator provisions (the CLI runs as Administrator): the function writes
	with ignore_permissions, and is not whitelisted; this keeps it so if someone ever calls it."""
	if "System Manager" not in frappe.get_roles():
		raise frappe.PermissionError(_("Seul l'exploitant de la plateforme met en place une structure."))


def provisionner(
	structure: str,
	responsable: str,
	prefixe: str | None = None,
	type_structure: str | None = None,
	prenom: str | None = None,
	nom: str | None = None,
) -> dict:
	"""French settings, the structure and its first Responsable on the current site (idempotent).

	The caller commits; a refused run leaves nothing behind once rolled back (but the French
	settings of a new site, which the wizard commits). Returns what was done: the
	structure (its name, prefix and type, and whether it was created now), the responsable (whether
	invited now, whether their account is new), the password link when the site cannot send
	e-mails (again on a rerun, until the responsable has logged in) and its validity, and the
	site's URL."""
	from suivi_social.api.equipe import inviter_collegue
	from suivi_social.setup.site import configure_site, ensure_platform_operator

	verifier_operateur()
	saisie = verifier_saisie(structure, responsable, prefixe, type_structure, prenom, nom)
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		# A new site: Frappe's setup wizard, in French (it commits).
		configure_site()
	# Before the first desk user: without another System Manager, Frappe would make the first
	# Responsable one (setup/site.py). Idempotent.
	ensure_platform_operator(f"exploitation@{frappe.local.site}")

	resultat = frappe._dict(
		structure=saisie.structure,
		structure_creee=False,
		prefixe=saisie.prefixe,
		type_structure=saisie.type_structure,
		responsable=saisie.responsable,
		responsable_invite=False,
		compte_cree=False,
		lien_mot_de_passe=None,
		# Minutes; 0 when the link does not expire.
		validite_du_lien=cint(
			frappe.db.get_single_value("System Settings", "reset_password_link_expiry_duration")
		)
		// 60,
		url=frappe.utils.get_url(),
	)
	if existante := frappe.db.get_value(
		"Structure", saisie.structure, ["name", "prefixe_dossier", "type_structure"], as_dict=True
	):
		# The same command run again: nothing to do. Anything else on an existing name is refused.
		verifier_structure_existante(existante.name, saisie)
		resultat.update(
			structure=existante.name,
			prefixe=existante.prefixe_dossier,
			type_structure=existante.type_structure,
		)
		if not EmailAccount.find_outgoing() and not frappe.db.get_value(
			"User", saisie.responsable, "last_login"
		):
			# The first link expires (System Settings, 20 minutes by default): until the responsable
			# has logged in, running the command again hands over a new one.
			resultat.lien_mot_de_passe = frappe.get_doc("User", saisie.responsable).reset_password()
		return resultat

	verifier_prefixe_libre(saisie.prefixe)
	verifier_responsable_possible(saisie.responsable)
	frappe.get_doc(
		{
			"doctype": "Structure",
			"raison_sociale": saisie.structure,
			"type_structure": saisie.type_structure,
			"prefixe_dossier": saisie.prefixe,
		}
	).insert(ignore_permissions=True)
	compte_cree = not frappe.db.exists("User", saisie.responsable)
	# The app's own invitation: the role, the User Permission on this structure only, the
	# Responsables table, and the password link when no e-mail can be sent.
	invitation = inviter_collegue(
		saisie.structure, saisie.responsable, saisie.prenom, saisie.nom, RESPONSABLE
	)
	verifier_aucun_droit_d_administration(saisie.responsable)
	resultat.update(
		structure_creee=True,
		responsable_invite=True,
		compte_cree=compte_cree,
		lien_mot_de_passe=invitation["lien_mot_de_passe"],
	)
	return resultat


def verifier_structure_existante(structure: str, saisie: Saisie) -> None:
	doc = frappe.get_doc("Structure", structure)
	responsables = [row.user for row in doc.responsables]
	deja_en_place = (
		saisie.responsable in responsables
		and RESPONSABLE in frappe.get_roles(saisie.responsable)
		and is_agent_of(saisie.responsable, structure)
	)
	if not deja_en_place:
		refuser(
			_(
				"Structure : « {0} » existe déjà sur ce site ({1}). Choisissez un autre nom, ou invitez "
				"ce responsable depuis la fiche de la structure."
			).format(
				structure,
				_("responsable : {0}").format(", ".join(responsables))
				if responsables
				else _("sans responsable"),
			)
		)
	if saisie.prefixe_donne and saisie.prefixe != doc.prefixe_dossier:
		refuser(
			_("Préfixe : la structure « {0} » existe déjà avec le préfixe {1}.").format(
				structure, doc.prefixe_dossier
			)
		)
	if saisie.type_donne and saisie.type_structure != doc.type_structure:
		refuser(
			_("Type : la structure « {0} » existe déjà avec le type {1}.").format(
				structure, doc.type_structure
			)
		)


def verifier_prefixe_libre(prefixe: str) -> None:
	if autre := frappe.db.get_value("Structure", {"prefixe_dossier": prefixe}):
		refuser(
			_("Préfixe : {0} est déjà celui de la structure « {1} » : indiquez un autre --prefixe.").format(
				prefixe, autre
			)
		)


def verifier_responsable_possible(email: str) -> None:
	"""A Responsable sees only their structures: an account that sees every structure (System
	Manager, Administrateur Suivi social) must not become one, or the structure's isolation from its
	neighbours on the site would rest on nothing."""
	if frappe.db.exists("User", email) and UNRESTRICTED_ROLES.intersection(frappe.get_roles(email)):
		refuser(
			_(
				"Responsable : « {0} » a des droits d'administration sur ce site ; "
				"un responsable de structure ne doit pas en avoir. Choisissez une autre adresse."
			).format(email)
		)


def verifier_aucun_droit_d_administration(email: str) -> None:
	"""Frappe gives System Manager to any user saved while no other enabled System Manager exists
	(User.add_system_manager_role), whatever the platform operator account: refuse, so that the
	whole provisioning is rolled back, rather than leave a Responsable who sees every structure."""
	roles = set(frappe.get_all("Has Role", filters={"parenttype": "User", "parent": email}, pluck="role"))
	if UNRESTRICTED_ROLES.intersection(roles):
		refuser(
			_(
				"Responsable : Frappe donnerait à « {0} » le rôle System Manager, car le site n'a aucun "
				"autre administrateur actif. Réactivez le compte d'exploitation (exploitation@…) et relancez."
			).format(email)
		)
