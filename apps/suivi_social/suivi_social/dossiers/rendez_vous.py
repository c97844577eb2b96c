"""Appointments: the planned accompaniments in Frappe's Calendar view, one agent's agenda without
overlaps, and the reminder sent to the beneficiary the day before.

An appointment is an Accompagnement with `rendez_vous` set (accompagnement.py, validate_rendez_vous):
on `date`, at `heure`, for `duree` minutes (DUREE_PAR_DEFAUT when empty), with `agent`,
at `lieu` (the structure's address when empty). Without `heure` it takes the whole day (a home visit
whose time is not fixed yet) and never overlaps anything.

Calendar (accompagnement_calendar.js). Frappe's own methods do not fit, so the calendar calls the two
below (verified in apps/frappe 15.44.2, frappe/desk/calendar.py):
- `get_events` reads through frappe.get_list (permissions apply) but returns whatever `fields` the
  client asks for and needs one Datetime column for each end of an event; an appointment keeps its
  date and its times apart. `evenements` builds each event from a fixed list of non-confidential
  columns, through frappe.get_list as the user (structure criterion, field levels, and the app's
  refusal of a filter on a confidential field: frappe_fixes, fix 2).
- `update_event` saves with Document.save(), which checks the write permission (the app's
  has_permission hook included), but writes a datetime into `date` and leaves the times. `deplacer`
  writes date, start and end, and through the same save: the role's write permission on
  Accompagnement decides who may move an appointment. The Agent d'accueil has it (they take and move
  appointments at the desk, and could already change the date in the form); the Administrateur Suivi
  social, who reads every structure but writes none, does not.

Overlaps: `chevauchement` is the one rule (also for the Accueil page's « Prendre rendez-vous »); the
controller refuses a planned (future) appointment that overlaps another of the same agent, whatever
the path (form, calendar, API, Accueil).

Reminder (`envoyer_rappels_beneficiaires`, a daily cron job in hooks.py): only to a person who
consented, per channel (Beneficiaire.consentement_rappel_sms / _email, with the date it was
recorded); the message holds the date, the time, the place and the structure's name and telephone —
never the typology, the agent or any note. Once per appointment: `rappel_beneficiaire_envoye` is
stamped when it went out and cleared when the appointment moves (so the new date gets its reminder).
"""

import zlib
from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, get_fullname, get_time, getdate, now_datetime

from suivi_social.exceptions import ChevauchementRendezVous
from suivi_social.utils.erreurs import refuser

DOCTYPE = "Accompagnement"
DUREE_PAR_DEFAUT = timedelta(hours=1)
# A month view of a busy structure holds a few hundred appointments; this caps a runaway range.
LIMITE_EVENEMENTS = 2000
# Colours of the typologies that have none chosen (Type Accompagnement.couleur): light enough for
# dark text, distinct from each other, picked by a stable hash of the typology.
PALETTE = (
	"#CDE4FF",
	"#D3F3DF",
	"#FFE3C2",
	"#E9DDFB",
	"#FFD6DE",
	"#CFF3F3",
	"#F6EDB8",
	"#E4E8EC",
	"#DCEFC5",
	"#F9D9F0",
)


# --- The agenda of an agent ---------------------------------------------------------------------------


def bornes(date, heure, duree=None) -> tuple[datetime, datetime] | None:
	"""Start and end of an appointment; None for one without a time (the whole day)."""
	if not heure:
		return None
	debut = datetime.combine(getdate(date), get_time(heure))
	return debut, debut + (timedelta(minutes=cint(duree)) if cint(duree) > 0 else DUREE_PAR_DEFAUT)


def chevauchement(agent: str, debut, fin, exclure: str | None = None) -> frappe._dict | None:
	"""The first appointment of `agent` that overlaps [debut, fin), cancelled ones and `exclure` (the
	appointment being moved) aside; None when the slot is free. Returns its `name`, `debut` and `fin`.

	Every structure of the agent counts (one person cannot be in two places), so this reads without
	the user's permissions: a caller shows the user only the times, never whose appointment it is."""
	debut, fin = get_datetime(debut), get_datetime(fin)
	filters = {
		"agent": agent,
		"rendez_vous": 1,
		"statut": ("!=", "Annulé"),
		"heure": ("is", "set"),
		"date": ("between", [debut.date(), fin.date()]),
	}
	if exclure:
		filters["name"] = ("!=", exclure)
	for row in frappe.get_all(
		DOCTYPE, filters=filters, fields=["name", "date", "heure", "duree"], order_by="date, heure"
	):
		autre_debut, autre_fin = bornes(row.date, row.heure, row.duree)
		if autre_debut < fin and autre_fin > debut:
			return frappe._dict(name=row.name, debut=autre_debut, fin=autre_fin)
	return None


def valider_rendez_vous(doc) -> None:
	"""Accompagnement.validate: an appointment ends the day it starts, a planned one does not overlap
	another of its agent, and a reminder sent for a former date is forgotten when it moves."""
	if doc.heure and doc.duree and bornes(doc.date, doc.heure, doc.duree)[1].date() != getdate(doc.date):
		refuser(doc, "duree", _("le rendez-vous doit finir le jour où il commence"))
	deplace = not doc.is_new() and any(doc.has_value_changed(f) for f in ("date", "heure"))
	if deplace:
		doc.rappel_beneficiaire_envoye = None
	# The agenda is what is planned: a past or already held appointment is recorded as it happened.
	if not doc.rendez_vous or doc.statut != "Planifié" or not doc.heure or not doc.agent:
		return
	if getdate(doc.date) < getdate():
		return
	if not doc.is_new() and not any(
		doc.has_value_changed(f) for f in ("date", "heure", "duree", "agent", "statut", "rendez_vous")
	):
		return
	# Two users booking the same agent at once: the second waits here for the first's commit, then
	# sees its appointment (a lock on the agent's User row until the end of the transaction).
	frappe.db.get_value("User", doc.agent, "name", for_update=True)
	debut, fin = bornes(doc.date, doc.heure, doc.duree)
	if autre := chevauchement(doc.agent, debut, fin, exclure=None if doc.is_new() else doc.name):
		refuser(
			doc,
			"heure",
			_("{0} a déjà un rendez-vous le {1} de {2} à {3}").format(
				get_fullname(doc.agent),
				frappe.format(autre.debut.date(), {"fieldtype": "Date"}),
				heure_fr(autre.debut),
				heure_fr(autre.fin),
			),
			exc=ChevauchementRendezVous,
		)


def heure_fr(valeur) -> str:
	"""14:30 → « 14h30 », 9:00 → « 9h00 »."""
	t = get_time(valeur)
	return f"{t.hour}h{t.minute:02d}"


# --- Calendar view ----------------------------------------------------------------------------------

# The only columns an event is built from: none is confidential (compte rendu, amounts, decision,
# the typology's name and the private notes stay out; the typology shows as a colour only).
COLONNES_EVENEMENT = (
	"name",
	"nom_beneficiaire",
	"date",
	"heure",
	"duree",
	"agent",
	"mode",
	"lieu",
	"statut",
	"issue_rendez_vous",
)


@frappe.whitelist()
def evenements(
	doctype: str,
	start: str,
	end: str,
	field_map: str | dict | None = None,
	filters: str | list | dict | None = None,
	fields: str | list | None = None,
) -> list[dict]:
	"""The appointments between `start` and `end` that the user may read, cancelled ones aside, as
	calendar events. The calendar's filters (agent, structure…) narrow them; `field_map` and `fields`
	are sent by Frappe's calendar and ignored: an event always has the same keys."""
	if doctype != DOCTYPE:
		frappe.throw(_("Ce calendrier ne montre que des rendez-vous."), frappe.PermissionError)
	if not frappe.has_permission(DOCTYPE, "read"):
		frappe.throw(_("Vous n'avez pas accès aux rendez-vous."), frappe.PermissionError)
	filtres = frappe.parse_json(filters) if isinstance(filters, str) else filters
	if isinstance(filtres, dict):
		filtres = [
			[DOCTYPE, k, *(v if isinstance(v, list | tuple) else ["=", v])] for k, v in filtres.items()
		]
	filtres = [
		*(filtres or []),
		[DOCTYPE, "rendez_vous", "=", 1],
		[DOCTYPE, "statut", "!=", "Annulé"],
		[DOCTYPE, "date", ">=", getdate(start)],
		[DOCTYPE, "date", "<=", getdate(end)],
	]
	# frappe.get_list as the user: structure criterion, field levels, no confidential filter.
	lignes = frappe.get_list(
		DOCTYPE,
		fields=list(COLONNES_EVENEMENT),
		filters=filtres,
		order_by="date asc, heure asc",
		limit_page_length=LIMITE_EVENEMENTS,
	)
	couleurs = couleurs_des_rendez_vous([ligne.name for ligne in lignes])
	return [evenement(ligne, couleurs.get(ligne.name)) for ligne in lignes]


def evenement(ligne, couleur: str | None) -> dict:
	periode = bornes(ligne.date, ligne.heure, ligne.duree)
	debut, fin = periode or (getdate(ligne.date), getdate(ligne.date))
	agent = get_fullname(ligne.agent) if ligne.agent else _("Sans agent")
	titre = f"{ligne.nom_beneficiaire or _('Sans nom')} · {agent}"
	if ligne.issue_rendez_vous:
		titre += f" ({_(ligne.issue_rendez_vous).lower()})"
	details = [
		f"{heure_fr(debut)}–{heure_fr(fin)}" if periode else _("Journée"),
		titre,
		_(ligne.mode) if ligne.mode else None,
		ligne.lieu,
	]
	return {
		"name": ligne.name,
		"debut": str(debut),
		"fin": str(fin),
		"journee": 0 if periode else 1,
		"titre": titre,
		"couleur": couleur or PALETTE[0],
		"tooltip": " · ".join(d for d in details if d),
		"statut": ligne.statut,
	}


def couleurs_des_rendez_vous(noms: list[str]) -> dict[str, str]:
	"""Each appointment's colour: that of its first typology. These names come from frappe.get_list
	as the user, so their typology rows may be read without the permission check."""
	if not noms:
		return {}
	premier_type: dict[str, str] = {}
	for row in frappe.get_all(
		"Type Accompagnement Lien",
		filters={"parenttype": DOCTYPE, "parentfield": "types_accompagnement", "parent": ("in", noms)},
		fields=["parent", "type_accompagnement"],
		order_by="idx asc",
	):
		premier_type.setdefault(row.parent, row.type_accompagnement)
	choisies = dict(
		frappe.get_all(
			"Type Accompagnement",
			filters={"name": ("in", list(set(premier_type.values())))},
			fields=["name", "couleur"],
			as_list=True,
		)
	)
	return {nom: choisies.get(typ) or couleur_stable(typ) for nom, typ in premier_type.items()}


def couleur_stable(type_accompagnement: str) -> str:
	return PALETTE[zlib.crc32(type_accompagnement.encode()) % len(PALETTE)]


@frappe.whitelist(methods=["POST"])
def deplacer(args: str | dict, field_map: str | dict | None = None) -> dict:
	"""Drag and drop or resize in the calendar: the appointment's new date, start and end (`debut`,
	`fin`, `journee` as the calendar sends them). Saved as the user: write permission (role and
	structure) and every rule of the controller, the overlap included."""
	from suivi_social.durcissement import lire_json, parametre_invalide

	args = lire_json(args, "args") if isinstance(args, str) else args
	if not isinstance(args, dict):
		parametre_invalide(
			_("Paramètre « {0} » : valeur invalide (type attendu : {1}).").format("args", "dict")
		)
	args = frappe._dict(args)
	if args.doctype and args.doctype != DOCTYPE:
		frappe.throw(_("Ce calendrier ne déplace que des rendez-vous."), frappe.PermissionError)
	if not args.name or not args.debut:
		frappe.throw(_("Rendez-vous ou nouvelle date manquant."))
	doc = frappe.get_doc(DOCTYPE, args.name)
	# Structure criterion and role first: the same check save() makes, before anything is read.
	doc.check_permission("write")
	if doc.statut != "Planifié":
		refuser(
			doc,
			"date",
			_("seul un rendez-vous planifié peut être déplacé (celui-ci est « {0} »)").format(_(doc.statut)),
		)
	debut = get_datetime(args.debut)
	if debut.date() < getdate():
		refuser(doc, "date", _("un rendez-vous ne peut pas être déplacé dans le passé"))
	doc.date = debut.date()
	if cint(args.journee):
		doc.heure, doc.duree = None, 0
	else:
		fin = get_datetime(args.fin) if args.fin else debut + DUREE_PAR_DEFAUT
		if fin.date() != debut.date():
			refuser(doc, "duree", _("le rendez-vous doit finir le jour où il commence"))
		doc.heure = debut.strftime("%H:%M:%S")
		doc.duree = int((fin - debut).total_seconds() // 60)
	doc.save()
	return {"name": doc.name, "date": str(doc.date), "heure": doc.heure, "duree": doc.duree}


# --- The reminder the day before -------------------------------------------------------------------


def envoyer_rappels_beneficiaires(maintenant=None) -> list[tuple[str, str]]:
	"""Daily (hooks.scheduler_events): remind each consenting person of tomorrow's appointments.
	Returns the (appointment, channel) pairs sent. Idempotent: an appointment stamped
	`rappel_beneficiaire_envoye` is skipped, so a second run the same day sends nothing."""
	maintenant = get_datetime(maintenant) if maintenant else now_datetime()
	demain = getdate(maintenant) + timedelta(days=1)
	rendez_vous = frappe.get_all(
		DOCTYPE,
		filters={
			"date": demain,
			"rendez_vous": 1,
			"statut": "Planifié",
			"rappel_beneficiaire_envoye": ("is", "not set"),
		},
		fields=["name", "beneficiaire", "structure", "date", "heure", "mode", "lieu"],
		order_by="heure asc",
	)
	if not rendez_vous:
		return []
	personnes = {
		p.name: p
		for p in frappe.get_all(
			"Beneficiaire",
			filters={
				"name": ("in", list({r.beneficiaire for r in rendez_vous})),
				"statut": ("in", ["Actif", "Inactif"]),
				"date_deces": ("is", "not set"),
			},
			or_filters={"consentement_rappel_sms": 1, "consentement_rappel_email": 1},
			fields=[
				"name",
				"civilite",
				"nom_usage",
				"consentement_rappel_sms",
				"consentement_rappel_email",
				"telephone",
				"telephone_2",
				"email",
			],
		)
	}
	sms_possible = bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))
	courriel_possible = compte_d_envoi()
	envoyes = []
	en_attente = {"SMS": 0, "e-mail": 0}
	for rdv in rendez_vous:
		personne = personnes.get(rdv.beneficiaire)
		if not personne:
			continue  # no consent: nothing is sent
		structure = frappe.get_cached_doc("Structure", rdv.structure)
		canaux = []
		if personne.consentement_rappel_email and personne.email:
			if not courriel_possible:
				en_attente["e-mail"] += 1
			else:
				envoyer_courriel(personne, rdv, structure)
				canaux.append("e-mail")
		mobile = numero_mobile(personne.telephone) or numero_mobile(personne.telephone_2)
		if personne.consentement_rappel_sms and mobile:
			if not sms_possible:
				en_attente["SMS"] += 1
			elif envoyer_sms(mobile, rdv, structure):
				canaux.append("SMS")
		if canaux:
			frappe.db.set_value(
				DOCTYPE, rdv.name, "rappel_beneficiaire_envoye", maintenant, update_modified=False
			)
			frappe.get_doc(DOCTYPE, rdv.name).add_comment(
				"Info", _("Rappel du rendez-vous envoyé au bénéficiaire ({0}).").format(", ".join(canaux))
			)
			envoyes += [(rdv.name, canal) for canal in canaux]
	for canal, nombre in en_attente.items():
		if nombre:
			# Not an error of the job: the structure has not set up this channel (yet).
			frappe.logger("suivi_social").warning(
				f"Rappels de rendez-vous : {nombre} rappel(s) par {canal} non envoyé(s), "
				f"aucun {'réglage SMS' if canal == 'SMS' else 'compte de messagerie sortant'} configuré."
			)
	return envoyes  # the scheduler's job runner commits


def quand_et_ou(rdv, structure) -> str:
	"""« lundi 10 mars 2031 à 10h30, Bureau 2 »: date, time and place — nothing else."""
	heure = _(" à {0}").format(heure_fr(rdv.heure)) if rdv.heure else ""
	return f"{date_fr(rdv.date)}{heure}, {lieu_du_rendez_vous(rdv, structure)}"


def prevenir(structure) -> str:
	if not structure.telephone:
		return ""
	return " " + _("En cas d'empêchement, merci de prévenir au {0}.").format(structure.telephone)


def texte_sms(rdv, structure) -> str:
	"""Short, and signed by the structure (the sender's number tells the person nothing)."""
	return _("{0} : rappel de votre rendez-vous demain, {1}.").format(
		structure.raison_sociale, quand_et_ou(rdv, structure)
	) + prevenir(structure)


def texte_courriel(personne, rdv, structure) -> str:
	nom = " ".join(filter(None, (personne.civilite, personne.nom_usage)))
	return (
		(_("Bonjour {0},").format(nom) if nom else _("Bonjour,"))
		+ "\n\n"
		+ _("Nous vous rappelons votre rendez-vous demain, {0}, avec {1}.").format(
			quand_et_ou(rdv, structure), structure.raison_sociale
		)
		+ prevenir(structure)
		+ "\n\n"
		+ structure.raison_sociale
	)


def lieu_du_rendez_vous(rdv, structure) -> str:
	if rdv.lieu:
		return rdv.lieu
	if rdv.mode == "Visite à domicile":
		return _("à votre domicile")
	if rdv.mode == "Entretien téléphonique":
		return _("par téléphone")
	if rdv.mode == "Visioconférence":
		return _("en visioconférence")
	adresse = ", ".join(
		p
		for p in (structure.adresse, " ".join(filter(None, (structure.code_postal, structure.commune))))
		if p
	)
	return adresse.replace("\n", ", ") or structure.raison_sociale


def date_fr(valeur) -> str:
	"""« mardi 3 mars 2026 » (the desk's date format is for agents, a letter spells it out)."""
	from babel.dates import format_date

	return format_date(getdate(valeur), "EEEE d MMMM y", locale="fr_FR")


def compte_d_envoi() -> bool:
	"""Whether the site has an outgoing e-mail account: without one frappe.sendmail fails (and while
	e-mails are muted Frappe answers with a dummy account that has no address)."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	compte = EmailAccount.find_outgoing()
	return bool(compte and compte.get("email_id"))


def envoyer_courriel(personne, rdv, structure) -> None:
	texte = frappe.utils.escape_html(texte_courriel(personne, rdv, structure))
	frappe.sendmail(
		recipients=[personne.email],
		subject=_("Rappel de votre rendez-vous du {0}").format(date_fr(rdv.date)),
		message="".join(f"<p>{paragraphe}</p>" for paragraphe in texte.split("\n\n")),
		reply_to=structure.email or None,
		reference_doctype=DOCTYPE,
		reference_name=rdv.name,
		delayed=True,
	)


def envoyer_sms(numero: str, rdv, structure) -> bool:
	"""Through Frappe's SMS Settings (the CCAS's gateway). A gateway error is logged, not raised: the
	other reminders still go out, and this one is tried again at the next run."""
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	try:
		send_sms([numero], texte_sms(rdv, structure), success_msg=False)
	except Exception:
		frappe.log_error(title=_("Rappel de rendez-vous : échec de l'envoi du SMS ({0})").format(rdv.name))
		return False
	return True


def numero_mobile(telephone: str | None) -> str | None:
	"""The E.164 form of a mobile number (« +33612345678 »); None for a landline or an invalid one."""
	import phonenumbers

	from suivi_social.utils.identite import telephone_cle

	e164 = telephone_cle(telephone) if telephone else ""
	if not e164:
		return None
	numero = phonenumbers.parse(e164)
	types_mobiles = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
	return e164 if phonenumbers.number_type(numero) in types_mobiles else None


# --- Consent (Beneficiaire) ------------------------------------------------------------------------


def valider_consentements(doc) -> None:
	"""Beneficiaire.validate: a consent has its date (today when ticked without one) and a channel to
	reach the person; withdrawn, its date goes too."""
	for canal, champ_date in (("sms", "date_consentement_sms"), ("email", "date_consentement_email")):
		champ = f"consentement_rappel_{canal}"
		if not cint(doc.get(champ)):
			doc.set(champ_date, None)
			continue
		if not doc.get(champ_date):
			doc.set(champ_date, getdate())
		elif getdate(doc.get(champ_date)) > getdate():
			refuser(doc, champ_date, _("ne peut pas être dans le futur"))
	if cint(doc.consentement_rappel_sms) and not (
		numero_mobile(doc.telephone) or numero_mobile(doc.telephone_2)
	):
		refuser(doc, "consentement_rappel_sms", _("suppose un numéro de téléphone portable"))
	if cint(doc.consentement_rappel_email) and not doc.email:
		refuser(doc, "consentement_rappel_email", _("suppose une adresse e-mail"))
