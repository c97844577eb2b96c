"""Frappe's channels that act as another user or send a record's data out of the structure.

Inventory of Frappe 15.44.2, and what the app does with each (tests/securite/test_canaux_sortants.py):
- Document sharing (DocShare, frappe.share.add / set_permission, the sidebar's « Partager »): off
  for every user but Administrator (System Settings disable_document_sharing, install.py;
  frappe.permissions refuses the "share" right, the desk hides the sidebar entry). A share bypasses
  the structure isolation.
- Assignment (« Assigner à », assign_to.add, a ToDo written directly, Assignment Rule): a record of
  the app is assigned only to a user who may read it, i.e. an agent of its structure (ToDo
  before_validate here). Frappe checks this only in assign_to.add; a ToDo inserted directly
  notified the assignee of another structure with the file's title.
- Mentions in a comment (@user): the mentioned user is notified with the record's title and the
  comment's text, whoever they are (frappe.desk.notifications.notify_mentions). Only a user who may
  read the record may be mentioned (Comment before_validate).
- E-mail from a record (Communication, « Nouvel e-mail »): sent only under the user's own address
  or one of their e-mail accounts, never « as » a colleague or the CCAS director (frappe's
  communication.email.make takes any `sender`). The files attached by name must be readable by the
  sender (permissions/pieces_jointes.py). Sending the record itself to an address stays possible
  for the roles with the « email » right: it is recorded on the record's timeline (Communication).
- Auto Email Report: mails a report's rows, to any address, computed as the user it names (any
  user: « Based on Permissions For User »), and a Script Report runs as the scheduler's
  Administrator whatever that user. Refused on the app's DocTypes and reports to whoever is not
  System Manager, and never « as » another user (before_validate here). App roles have no right
  on it anyway (System Manager, Report Manager).
- Document Follow: a daily/weekly e-mail digest of a record's changes (Version values, the
  confidential ones included) and comments, to any user any user subscribes
  (document_follow.follow_document takes `user` and checks nothing). Turned off for every account
  (User before_validate here; install seed for existing ones): Frappe then neither creates the
  subscription nor sends the digest.
- Energy points (« Apprécier », review): a log naming any record, sent to any user. Off
  (Energy Point Settings, install seed).
- Newsletter, Webhook, Data Export, Prepared Report, Email Account, Slack/SMS, Auto Repeat,
  Assignment Rule, Document Share Key, Notification settings: no right for the app's roles
  (Frappe's defaults; the test fails if one is granted). Data Export is also logged
  (exports.py); a Notification is bound to its structure (personnalisation/notification.py).
"""

import frappe
from frappe import _

from suivi_social.personnalisation.perimetre import est_de_l_application, gestionnaire_du_site


class CanalRefuse(frappe.PermissionError):
	"""A channel that would act as another user or send a record out of its readers."""


def refuser(message: str) -> None:
	frappe.throw(message, exc=CanalRefuse, title=_("Envoi refusé"))


def peut_lire(doctype: str, name: str, user: str) -> bool:
	return bool(frappe.has_permission(doctype, "read", doc=name, user=user))


# Assignment and mentions ------------------------------------------------------------------------


def garder_attribution(doc, method=None) -> None:
	"""ToDo before_validate: a record of the app is assigned only to a user who may read it."""
	if not (doc.allocated_to and doc.reference_name and est_de_l_application(doc.reference_type)):
		return
	if not doc.is_new() and not doc.has_value_changed("allocated_to"):
		return
	if not peut_lire(doc.reference_type, doc.reference_name, doc.allocated_to):
		refuser(
			_("{0} ne peut pas lire ce document : il ne peut pas lui être assigné.").format(doc.allocated_to)
		)


def garder_mentions(doc, method=None) -> None:
	"""Comment before_validate: a mention notifies its user of the record's title and the text."""
	if doc.comment_type != "Comment" or not est_de_l_application(doc.reference_doctype):
		return
	from frappe.desk.notifications import extract_mentions

	for user in extract_mentions(doc.content or ""):
		if not peut_lire(doc.reference_doctype, doc.reference_name, user):
			refuser(_("{0} ne peut pas lire ce document : il ne peut pas y être mentionné.").format(user))


# E-mail -----------------------------------------------------------------------------------------


def garder_expediteur(doc, method=None) -> None:
	"""Communication before_insert: an e-mail is sent under its author's own address."""
	if doc.communication_medium != "Email" or doc.sent_or_received != "Sent" or gestionnaire_du_site():
		return
	adresse = frappe.utils.parse_addr(doc.sender or "")[1].lower()
	if adresse and adresse not in adresses_de(frappe.session.user):
		refuser(_("Un e-mail part sous votre propre adresse, pas sous celle de {0}.").format(adresse))


def adresses_de(user: str) -> set[str]:
	"""The user's address and those of the e-mail accounts given to them (User Emails)."""
	adresses = {frappe.db.get_value("User", user, "email") or user}
	comptes = frappe.get_all("User Email", filters={"parent": user}, pluck="email_account")
	if comptes:
		adresses.update(frappe.get_all("Email Account", filters={"name": ("in", comptes)}, pluck="email_id"))
	return {a.lower() for a in adresses if a}


# Auto Email Report ------------------------------------------------------------------------------


def garder_rapport_par_e_mail(doc, method=None) -> None:
	"""Auto Email Report before_validate."""
	if gestionnaire_du_site():
		return
	if doc.user and doc.user != frappe.session.user:
		refuser(
			_("Un rapport envoyé par e-mail ne peut pas être calculé avec les droits d'un autre utilisateur.")
		)
	report = frappe.db.get_value("Report", doc.report, ["ref_doctype", "module"], as_dict=True) or {}
	modules = frappe.get_all("Module Def", filters={"app_name": "suivi_social"}, pluck="name")
	if est_de_l_application(report.get("ref_doctype")) or report.get("module") in modules:
		refuser(
			_(
				"Les rapports de Suivi social ne sont pas envoyés par e-mail automatique : ils sortiraient "
				"les données des dossiers hors de l'application."
			)
		)


# Document Follow, Energy Points -----------------------------------------------------------------


def sans_suivi_par_e_mail(doc, method=None) -> None:
	"""User before_validate: no e-mail digest of the followed records' changes."""
	doc.document_follow_notify = 0


def desactiver() -> None:
	"""Idempotent (install seed): existing accounts and the energy points."""
	frappe.db.set_value("User", {"document_follow_notify": 1}, "document_follow_notify", 0)
	if frappe.db.get_single_value("Energy Point Settings", "enabled"):
		frappe.db.set_single_value("Energy Point Settings", "enabled", 0)
