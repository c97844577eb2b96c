"""A rappel or an appointment given to an absent agent reaches the colleague who covers them.

Why a Notification Log and not a second assignment (ToDo) for the covering colleague: a ToDo is
stored work that would outlive the absence (it stays in the colleague's « Assigné à moi » and on
the record's `_assign` until someone closes it), so the end of the absence would need a job to
undo it, and a missed run would leave the work split. The rappel keeps its one assignee
(`assigne_a`); who acts for them is computed each day from the Absence records
(continuite/absences.py): the morning digest and the « due today » reminders are routed through
`remplacant()`, and what happens during the absence is announced here, once, in the desk's bell
(an « Alert »: Frappe sends no e-mail for it; the e-mail is the morning digest's). When the absence
ends nothing has to be put back.

The record goes to whoever covers the agent *on its date* (the rappel's due date, the
appointment's day; today when that is past): a rappel due after the agent's return is theirs. The
message names no beneficiary (bell and e-mail subjects are not the place for personal data): it
links to the record, which the colleague may open as an agent of its structure."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import formatdate, get_fullname, getdate, today

from suivi_social.continuite.absences import remplacant


def rappel_pour_un_absent(doc, method=None) -> None:
	"""doc_events Rappel on_update (also runs on insert): a rappel to do, given to an agent who is away
	on its due date."""
	if doc.statut != "À faire" or not doc.assigne_a:
		return
	if not doc.has_value_changed("assigne_a") and not doc.has_value_changed("date_echeance"):
		return
	jour = max(getdate(doc.date_echeance or today()), getdate(today()))
	collegue = remplacant(doc.assigne_a, jour, structure=doc.structure)
	if collegue == doc.assigne_a:
		return
	prevenir(
		collegue,
		doc,
		_("Rappel pour {0}, que vous remplacez : échéance le {1}").format(
			get_fullname(doc.assigne_a), formatdate(doc.date_echeance)
		),
	)


def rendez_vous_pour_un_absent(doc, method=None) -> None:
	"""doc_events Accompagnement on_update (also runs on insert): an appointment still to come, with an
	agent who is away that day."""
	if not doc.get("rendez_vous") or doc.statut == "Annulé" or doc.get("issue_rendez_vous") or not doc.agent:
		return
	if not doc.date or getdate(doc.date) < getdate(today()):
		return
	if not any(doc.has_value_changed(f) for f in ("agent", "date", "heure", "statut")):
		return
	collegue = remplacant(doc.agent, doc.date, structure=doc.structure)
	if collegue == doc.agent:
		return
	quand = formatdate(doc.date) + (f" {str(doc.heure)[:5]}" if doc.heure else "")
	prevenir(
		collegue,
		doc,
		_("Rendez-vous de {0}, que vous remplacez : le {1}").format(get_fullname(doc.agent), quand),
	)


def prevenir(user: str, doc, sujet: str) -> None:
	"""One bell notification, written in this transaction: none for a record whose save fails."""
	make_notification_logs(
		frappe._dict(
			subject=sujet,
			type="Alert",
			document_type=doc.doctype,
			document_name=doc.name,
			from_user=frappe.session.user,
		),
		[user],
	)
