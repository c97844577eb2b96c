"""The morning job that makes rappels remind (issue 9 §3), run by Frappe's scheduler at 07:00
(hooks.scheduler_events, cron).

For every rappel still « À faire » and due today or before, not yet sent today:
- its recipient is the agent it is assigned to, or the colleague who covers them while they are
  absent (suivi_social.continuite.absences.remplacant) — and only someone who may read the rappel:
  an enabled user whose roles and structures (User Permission, permissions/structure.py) give
  access to it, checked with frappe.has_permission as that user. A covering colleague without
  access to the rappel's structure does not get it (the agent keeps it); nobody with access, nobody
  gets it (it stays in the structure's « Rappels en retard »);
- a rappel due today becomes a desk notification (Notification Log, type Alert: Frappe sends no
  mail of its own for that type) for its recipient;
- each recipient gets ONE e-mail (Email Queue, through frappe.sendmail) listing their rappels due
  today and late, with links, the covered colleague's ones under « En remplacement de … ».

What the mail shows of a rappel: its title, the beneficiary's name, its due date (and time), its
structure when the recipient has several; the bell, its title only. Never its note, nor anything of
the file or the accompaniment.

Idempotent: each rappel sent carries the date (`notifie_le`), and a rappel already sent today is
not sent again; a second run the same day sends nothing, a rappel added since goes alone. A late
rappel is in each morning's mail until it is done. Frappe's own Notification (« Days Before/After »)
cannot do this: it sends one message per document, to the assignee field only.

The users' Notification Settings are respected: no desk notification when they turned
notifications off, no mail when they turned e-mail notifications off.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.desk.doctype.notification_settings.notification_settings import (
	is_email_notifications_enabled,
	is_notifications_enabled,
)
from frappe.utils import (
	escape_html,
	format_date,
	format_time,
	get_fullname,
	get_url,
	get_url_to_form,
	getdate,
	today,
)

from suivi_social.continuite.absences import remplacant
from suivi_social.dossiers.rappels import A_FAIRE

TEMPLATE = "rappels_du_jour"
# Late rappels listed in a mail's section; the others are counted.
MAX_EN_RETARD = 30


def envoyer_les_rappels_du_jour(jour=None) -> dict[str, list[str]]:
	"""Scheduler entry: notify every recipient of their rappels. Returns {recipient: [rappels]}
	sent by this run. A failure for one recipient stops nobody else."""
	jour = getdate(jour or today())
	par_destinataire = rappels_par_destinataire(jour)
	courriels = courriels_possibles() if par_destinataire else False
	envoyes = {}
	for destinataire, rappels in par_destinataire.items():
		# A savepoint, not a commit: the scheduler commits the job once it ends (and a test's
		# rollback undoes it all).
		frappe.db.savepoint("rappels_du_matin")
		try:
			notifier(destinataire, rappels, jour, courriels)
			envoyes[destinataire] = [r.name for r in rappels]
		except Exception:
			frappe.db.rollback(save_point="rappels_du_matin")
			frappe.log_error(title=_("Rappels du matin : envoi à {0} impossible").format(destinataire))
	return envoyes


def courriels_possibles() -> bool:
	"""Whether the site has an outgoing e-mail account. Without one, frappe.sendmail refuses: the desk
	notifications still go, and the administrator is told once per morning (Error Log)."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	# While e-mails are muted Frappe answers with a dummy account that has no address (and cannot
	# build a mail): that is no account either.
	compte = EmailAccount.find_outgoing()
	if compte and compte.get("email_id"):
		return True
	frappe.log_error(
		title=_("Rappels du matin : aucun compte de messagerie sortant"),
		message=_(
			"Les rappels du jour sont notifiés dans le bureau, mais aucun courriel n'est envoyé tant "
			"qu'aucun compte de messagerie sortant n'est configuré (Paramètres > Compte de messagerie)."
		),
	)
	return False


def rappels_par_destinataire(jour) -> dict[str, list[frappe._dict]]:
	rappels = frappe.get_all(
		"Rappel",
		filters={"statut": A_FAIRE, "date_echeance": ("<=", jour)},
		fields=[
			"name",
			"titre",
			"date_echeance",
			"heure_echeance",
			"assigne_a",
			"structure",
			"nom_beneficiaire",
			"notifie_le",
		],
		order_by="date_echeance asc, heure_echeance asc, name asc",
	)
	par_destinataire = defaultdict(list)
	for rappel in rappels:
		if rappel.notifie_le and getdate(rappel.notifie_le) == jour:
			continue
		if destinataire := destinataire_de(rappel, jour):
			rappel.remplace = rappel.assigne_a if destinataire != rappel.assigne_a else None
			par_destinataire[destinataire].append(rappel)
	return par_destinataire


def destinataire_de(rappel, jour) -> str | None:
	"""Who receives this rappel today: the covering colleague if the agent is absent, else the agent;
	whoever it is, they must be able to read the rappel."""
	candidats = [remplacant(rappel.assigne_a, jour, structure=rappel.structure), rappel.assigne_a]
	for user in dict.fromkeys(candidats):
		if peut_lire(user, rappel.name):
			return user
	return None


def peut_lire(user: str | None, rappel: str) -> bool:
	if not user or not frappe.db.get_value("User", {"name": user, "enabled": 1, "user_type": "System User"}):
		return False
	return frappe.has_permission("Rappel", "read", doc=frappe.get_doc("Rappel", rappel), user=user)


def notifier(destinataire: str, rappels: list, jour, courriels: bool = True) -> None:
	noms = {r.remplace: get_fullname(r.remplace) for r in rappels if r.remplace}
	if is_notifications_enabled(destinataire):
		for rappel in rappels:
			if getdate(rappel.date_echeance) == jour:
				notification(destinataire, rappel, noms.get(rappel.remplace))
	if courriels and is_email_notifications_enabled(destinataire):
		courriel(destinataire, rappels, jour, noms)
	frappe.db.set_value(
		"Rappel", {"name": ("in", [r.name for r in rappels])}, "notifie_le", jour, update_modified=False
	)


def notification(destinataire: str, rappel, remplace: str | None) -> None:
	# The bell shows the rappel's title only; the beneficiary is named in the mail and the rappel.
	sujet = _("Rappel à traiter aujourd'hui : {0}").format(f"<b>{escape_html(rappel.titre)}</b>")
	if remplace:
		sujet += " " + _("(en remplacement de {0})").format(escape_html(remplace))
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": destinataire,
			"from_user": "Administrator",
			"type": "Alert",
			"document_type": "Rappel",
			"document_name": rappel.name,
			"subject": sujet,
		}
	).insert(ignore_permissions=True)


def courriel(destinataire: str, rappels: list, jour, noms: dict[str, str]) -> None:
	email = frappe.db.get_value("User", destinataire, "email")
	if not email:
		return
	du_jour = sum(1 for r in rappels if getdate(r.date_echeance) == jour)
	en_retard = len(rappels) - du_jour
	# Sections: the recipient's own rappels first, then each covered colleague's.
	sections = [
		section(
			_("En remplacement de {0}").format(noms[agent]) if agent else _("Vos rappels"),
			[r for r in rappels if r.remplace == agent],
			jour,
		)
		for agent in [None, *sorted(noms, key=noms.get)]
	]
	frappe.sendmail(
		recipients=[email],
		subject=_("Vos rappels du {0} : {1} aujourd'hui, {2} en retard").format(
			format_date(jour, "dd/MM/yyyy"), du_jour, en_retard
		),
		template=TEMPLATE,
		args={
			"jour": format_date(jour, "dd/MM/yyyy"),
			"sections": [s for s in sections if s["rappels"]],
			"plusieurs_structures": len({r.structure for r in rappels}) > 1,
			"lien_liste": get_url("/app/rappel"),
		},
		reference_doctype="User",
		reference_name=destinataire,
		# An agent's work mail: Notification Settings turn it off, not a newsletter's unsubscribe link.
		add_unsubscribe_link=0,
	)


def section(titre: str, rappels: list, jour) -> dict:
	"""Today's rappels first, then the late ones, oldest first, at most MAX_EN_RETARD of them: the
	others are counted and found in the list (a mail of two hundred lines is read by no one)."""
	du_jour = [ligne(r, jour) for r in rappels if getdate(r.date_echeance) == jour]
	en_retard = [ligne(r, jour) for r in rappels if getdate(r.date_echeance) < jour]
	return {
		"titre": titre,
		"rappels": du_jour + en_retard[:MAX_EN_RETARD],
		"autres": max(0, len(en_retard) - MAX_EN_RETARD),
	}


def ligne(rappel, jour) -> dict:
	return {
		"titre": rappel.titre,
		"beneficiaire": rappel.nom_beneficiaire or "",
		"echeance": format_date(rappel.date_echeance, "dd/MM/yyyy"),
		"heure": format_time(rappel.heure_echeance, "HH:mm") if rappel.heure_echeance else "",
		"en_retard": getdate(rappel.date_echeance) < jour,
		"structure": rappel.structure,
		"lien": get_url_to_form("Rappel", rappel.name),
	}
