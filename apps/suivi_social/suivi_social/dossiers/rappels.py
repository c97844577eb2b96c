"""« Mes rappels » and the rappels past due, on the « Suivi social » workspace (issue 9 §3).

Frappe's Document Type number cards cannot serve here: their filters are the same for every user
(`dynamic_filters_json` is evaluated in the browser for the count, but a click on the card opens
the list with `filters_json` alone — number_card_widget.js set_route — so « Rappels en retard »
counted the late rappels and opened all the rappels to do). These are Custom cards: each method
returns the count and the route of the list with the very same filters (the widget's
`route_options`), so the list shows what the card counted. Counts go through frappe.get_list, as the
user who asks: the structure criterion applies (permissions/structure.py).

The periods, per rappel still « À faire »:
- « du jour »: due today;
- « en retard »: due before today;
- « de la semaine »: due from today to the last day of the site's week (its first day is System
  Settings' « first day of the week »): what is still ahead this week, today included.
"""

import frappe
from frappe import _
from frappe.utils import add_days, get_fullname, get_last_day_of_week, getdate, today

from suivi_social.dossiers.tableau_de_bord import filtres_du_client, graphique

A_FAIRE = "À faire"
# The aid decision whose choice proposes a follow-up rappel (accompagnement.js).
DECISION_EN_ATTENTE_DE_JUSTIFICATIFS = "En attente de justificatifs"
# Days given to the person to bring the missing documents before the agent follows up.
DELAI_RELANCE_JUSTIFICATIFS = 14


PERIODES = ("du_jour", "en_retard", "de_la_semaine")


def filtres(periode: str, jour=None) -> dict:
	"""The list filters of a period, as route options ({field: value or [operator, value]})."""
	jour = getdate(jour or today())
	dates = {
		"du_jour": str(jour),
		"en_retard": ["<", str(jour)],
		"de_la_semaine": ["between", [str(jour), str(get_last_day_of_week(jour))]],
	}[periode]
	return {"statut": A_FAIRE, "date_echeance": dates}


def mes_filtres(periode: str, user: str | None = None, jour=None) -> dict:
	"""A period's filters for the rappels of `user` (default: the session user): assigned to them,
	or to a colleague they cover that day (continuite/absences.py), as the morning mail sends them.
	An absence covers one structure: the covered colleague's rappels of another structure that the
	user can also read are counted too (the mail, which checks each rappel's structure, skips them)."""
	from suivi_social.continuite.absences import remplaces

	user = user or frappe.session.user
	agents = [user, *remplaces(user, jour)]
	return {**filtres(periode, jour), "assigne_a": ["in", agents] if len(agents) > 1 else user}


@frappe.whitelist(methods=["GET"])
def filtres_de_mes_rappels(periode: str) -> dict:
	"""The filters of the Rappel list's « Mes rappels » menu (rappel_list.js): the same as the cards'."""
	if periode not in PERIODES:
		frappe.throw(_("Période inconnue : {0}").format(periode), frappe.ValidationError)
	return mes_filtres(periode)


def en_liste(route_options: dict) -> list:
	"""Route options as frappe.get_list filters."""
	return [
		["Rappel", champ, *(valeur if isinstance(valeur, list) else ["=", valeur])]
		for champ, valeur in route_options.items()
	]


def compter(route_options: dict, filters=None) -> int:
	return frappe.get_list(
		"Rappel",
		fields=["count(*) as nombre"],
		filters=en_liste(route_options) + filtres_du_client(filters),
		order_by="",
	)[0].nombre


def carte(route_options: dict, filters=None) -> dict:
	"""What a Custom number card shows, and where its click leads: the Rappel list, same filters."""
	return {
		"value": compter(route_options, filters),
		"fieldtype": "Int",
		"route": ["List", "Rappel", "List"],
		"route_options": route_options,
	}


@frappe.whitelist()
def mes_rappels_du_jour(filters: str | list | dict | None = None) -> dict:
	"""Number card « Mes rappels du jour »."""
	return carte(mes_filtres("du_jour"), filters)


@frappe.whitelist()
def mes_rappels_en_retard(filters: str | list | dict | None = None) -> dict:
	"""Number card « Mes rappels en retard »."""
	return carte(mes_filtres("en_retard"), filters)


@frappe.whitelist()
def mes_rappels_de_la_semaine(filters: str | list | dict | None = None) -> dict:
	"""Number card « Mes rappels de la semaine »."""
	return carte(mes_filtres("de_la_semaine"), filters)


@frappe.whitelist()
def rappels_en_retard(filters: str | list | dict | None = None) -> dict:
	"""Number card « Rappels en retard »: every late rappel the user may read (their structures)."""
	return carte(filtres("en_retard"), filters)


def rappels_en_retard_par_agent(filters=None) -> dict:
	"""Chart « Rappels en retard par agent » (the Responsable's): late rappels per assignee, the most
	late first, agents by full name. Read through frappe.get_list: only the user's structures."""
	rows = frappe.get_list(
		"Rappel",
		fields=["assigne_a", "count(*) as nombre"],
		filters=en_liste(filtres("en_retard")) + filtres_du_client(filters),
		group_by="assigne_a",
		order_by="",
		limit_page_length=0,
	)
	rows = sorted(rows, key=lambda r: (-r.nombre, get_fullname(r.assigne_a)))
	if not rows:
		return {}
	return graphique(
		[get_fullname(r.assigne_a) for r in rows], [(_("Rappels en retard"), [r.nombre for r in rows])]
	)


# --- The rappel an accompaniment proposes (accompagnement.js) ----------------------------------


@frappe.whitelist()
def rappel_propose(accompagnement: str, motif: str) -> dict:
	"""The values of the rappel proposed after saving an accompaniment: for its due date
	(motif « echeance »), or to follow up an aid awaiting documents (motif « justificatifs »).
	Read as the user: refused if they may not read the accompaniment."""
	if motif not in ("echeance", "justificatifs"):
		frappe.throw(_("Motif de rappel inconnu : {0}").format(motif), frappe.ValidationError)
	doc = frappe.get_doc("Accompagnement", accompagnement)
	doc.check_permission("read")
	nom = doc.nom_beneficiaire or doc.beneficiaire
	if motif == "justificatifs":
		titre = _("Relancer pour les justificatifs : {0}").format(nom)
		echeance = add_days(today(), DELAI_RELANCE_JUSTIFICATIFS)
	else:
		titre = _("Échéance : {0}").format(nom)
		echeance = doc.date_echeance or today()
	return {
		"titre": titre,
		"date_echeance": str(getdate(echeance)),
		"assigne_a": doc.agent,
		"accompagnement": doc.name,
		"beneficiaire": doc.beneficiaire,
	}
