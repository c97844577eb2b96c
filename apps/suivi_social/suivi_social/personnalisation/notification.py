"""Notifications on the app's DocTypes (override_doctype_class in hooks.py).

A Notification is site-wide and runs as whoever triggers it, or as Administrator for the daily
"Days Before / Days After" job; it sends the document's data (subject, message, attached print) to
addresses it computes: a role's users (`receiver_by_role`: every structure's), assignees, any typed
address. On a site with several structures, a Responsable's notification could thus send another
structure's files, or send a file to someone who may not open it. One choke point, `send`, which
every path reaches (Document.run_notifications → evaluate_alert, trigger_daily_alerts):
- a notification attached to a structure (its `structure` field, required for a non-System-Manager,
  personnalisation/gardes.py) sends only for that structure's documents;
- on the app's DocTypes, every notification sends only to users who may read the document (and
  print it, when the print is attached) and every field its texts show
  (modeles.champs_utilises), whoever wrote it: addresses that are no user are dropped.

A System Manager's notifications go through the same class. The manager's guards
(gardes.garder_notification) do not apply to them: no structure required, any channel, any
template. The filter of recipients does (get_list_of_recipients, on the app's DocTypes, whoever
wrote the notification): by e-mail and in the app, a notification without a structure fires for
every structure's documents and sends each only to that document's readers, a confidential field
only to those who read it. Their Slack and SMS channels, which the manager may not choose, are not
filtered (a webhook and phone numbers, not users whose rights can be checked): the System Manager
answers for them (tests/securite/test_outils_responsable.py, « notification_du_system_manager »).
"""

import frappe
from frappe.email.doctype.notification.notification import Notification
from frappe.model import table_fields

from suivi_social.personnalisation.gardes import CANAUX_PERMIS
from suivi_social.personnalisation.modeles import champs_utilises
from suivi_social.personnalisation.perimetre import est_de_l_application, structure_du_document


class NotificationDeStructure(Notification):
	def send(self, doc):
		if self.get("structure") and (
			structure_du_document(doc) != self.structure or self.channel not in CANAUX_PERMIS
		):
			return
		return super().send(doc)

	def get_documents_for_today(self):
		documents = super().get_documents_for_today()
		if self.get("structure"):
			documents = [d for d in documents if structure_du_document(d) == self.structure]
		return documents

	def get_list_of_recipients(self, doc, context):
		recipients, cc, bcc = super().get_list_of_recipients(doc, context)
		reference = frappe.get_doc(doc.parenttype, doc.parent) if doc.meta.istable else doc
		if not est_de_l_application(reference.doctype):
			return recipients, cc, bcc
		lecteurs = Lecteurs(self, doc, reference)
		return tuple([a for a in adresses if lecteurs.peut_lire(a)] for adresses in (recipients, cc, bcc))


class Lecteurs:
	"""Who may receive what a notification shows of a document."""

	def __init__(self, notification, doc, reference):
		self.notification = notification
		self.reference = reference
		self.niveaux = niveaux_montres(notification, doc.meta)
		self.verdicts: dict[str, bool] = {}

	def peut_lire(self, adresse: str) -> bool:
		adresse = (adresse or "").strip()
		if adresse not in self.verdicts:
			self.verdicts[adresse] = self.juger(adresse)
		return self.verdicts[adresse]

	def juger(self, adresse: str) -> bool:
		user = frappe.db.get_value("User", {"email": adresse, "enabled": 1}, "name") or (
			adresse if frappe.db.get_value("User", {"name": adresse, "enabled": 1}) else None
		)
		if not user:
			return False
		doctype = self.reference.doctype
		if not frappe.has_permission(doctype, "read", self.reference, user=user):
			return False
		if self.notification.attach_print and not frappe.has_permission(
			doctype, "print", self.reference, user=user
		):
			return False
		lisibles = set(frappe.get_meta(doctype).get_permlevel_access("read", user=user))
		return self.niveaux <= lisibles


def niveaux_montres(notification, meta) -> set[int]:
	"""The permlevels of the fields the notification shows: every level when it attaches the print
	or uses the document as a whole."""
	tous = niveaux_de(meta)
	if notification.attach_print:
		return tous
	champs, tout = set(), False
	for texte in (notification.subject, notification.message):
		c, t = champs_utilises(texte)
		champs |= c
		tout = tout or t
	if tout:
		return tous
	niveaux = {0}
	for fieldname in champs:
		df = meta.get_field(fieldname)
		if df:
			niveaux.add(df.permlevel or 0)
			if df.fieldtype in table_fields:
				niveaux |= niveaux_de(frappe.get_meta(df.options))
	return niveaux


def niveaux_de(meta) -> set[int]:
	niveaux = {df.permlevel or 0 for df in meta.fields}
	for df in meta.get_table_fields():
		niveaux |= {c.permlevel or 0 for c in frappe.get_meta(df.options).fields}
	return niveaux | {0}
