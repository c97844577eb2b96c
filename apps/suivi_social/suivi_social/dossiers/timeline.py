"""The file's timeline shows every accompaniment and rappel, whoever recorded it, so that a
colleague can take over a file (Frappe's timeline shows only the file's own changes).

Read through frappe.get_list (permission-aware) and without any confidential field: what the
Agent d'accueil sees here is what they may see anyway."""

from collections import defaultdict
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import escape_html, format_date, format_time

LIMITE = 200


def historique(doctype: str, docname: str) -> list[dict]:
	return accompagnements(docname) + rappels(docname)


def accompagnements(beneficiaire: str) -> list[dict]:
	rows = frappe.get_list(
		"Accompagnement",
		filters={"beneficiaire": beneficiaire},
		fields=["name", "date", "heure", "mode", "statut", "agent", "decision"],
		order_by="date desc, heure desc",
		limit_page_length=LIMITE,
	)
	types = types_par_accompagnement([r.name for r in rows])
	items = []
	for r in rows:
		details = [escape_html(_(r.statut))]
		if r.decision:
			details.append(escape_html(_("Décision : {0}").format(_(r.decision))))
		details.append(escape_html(frappe.utils.get_fullname(r.agent)))
		quand = format_date(r.date) + (f" {format_time(r.heure, 'HH:mm')}" if r.heure else "")
		items.append(
			{
				"icon": "calendar" if r.statut == "Planifié" else "file",
				"creation": f"{r.date} {r.heure or '00:00:00'}",
				"content": (
					f'<a href="{lien("Accompagnement", r.name)}"><b>{escape_html(", ".join(types[r.name]))}</b></a>'
					f" — {escape_html(_(r.mode or ''))}, {escape_html(quand)} · {' · '.join(details)}"
				),
			}
		)
	return items


def rappels(beneficiaire: str) -> list[dict]:
	rows = frappe.get_list(
		"Rappel",
		filters={"beneficiaire": beneficiaire},
		fields=["name", "titre", "date_echeance", "statut", "assigne_a", "creation"],
		order_by="date_echeance desc",
		limit_page_length=LIMITE,
	)
	return [
		{
			"icon": "bell",
			"creation": r.creation,
			"content": _("Rappel {0} — échéance le {1} · {2} · {3}").format(
				f'<a href="{lien("Rappel", r.name)}"><b>{escape_html(r.titre)}</b></a>',
				format_date(r.date_echeance),
				escape_html(_(r.statut)),
				escape_html(frappe.utils.get_fullname(r.assigne_a)),
			),
		}
		for r in rows
	]


def types_par_accompagnement(noms: list[str]) -> dict[str, list[str]]:
	"""Typology names for many accompaniments in two queries (names were checked by get_list)."""
	par_accompagnement = defaultdict(list)
	if not noms:
		return par_accompagnement
	liens = frappe.get_all(
		"Type Accompagnement Lien",
		filters={"parenttype": "Accompagnement", "parent": ("in", noms)},
		fields=["parent", "type_accompagnement"],
		order_by="idx asc",
	)
	titres = dict(
		frappe.get_all(
			"Type Accompagnement",
			filters={"name": ("in", list({l.type_accompagnement for l in liens}) or [""])},
			fields=["name", "nom"],
			as_list=True,
		)
	)
	for lien in liens:
		par_accompagnement[lien.parent].append(titres.get(lien.type_accompagnement, lien.type_accompagnement))
	return par_accompagnement


def lien(doctype: str, name: str) -> str:
	"""A link relative to the desk, whatever host the site is served under."""
	return f"/app/{frappe.scrub(doctype).replace('_', '-')}/{quote(name)}"
