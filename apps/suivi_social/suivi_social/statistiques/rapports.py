"""Columns, total rows and charts of the statistics Script Reports (report/*), in French."""

import frappe
from frappe import _


def colonne(fieldname: str, label: str, fieldtype: str = "Int", width: int = 120) -> dict:
	return {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width}


def montant(fieldname: str, label: str, width: int = 140) -> dict:
	# Currency of the site (EUR, setup/site.py): the column names no currency field.
	return colonne(fieldname, label, "Currency", width)


def ligne_total(valeurs: dict, libelle_champ: str, libelle: str = "Total") -> dict:
	"""The total row, computed by the aggregation (distinct counts do not add up), shown in bold
	by the report's formatter (suivi_social.statistiques.formatter)."""
	return {**valeurs, libelle_champ: _(libelle), "est_total": 1}


def graphique(
	labels: list[str], series: list[tuple[str, list]], type_: str = "bar", **options
) -> dict | None:
	"""A Frappe chart, or None when there is nothing to draw."""
	if not labels:
		return None
	return {
		"data": {
			"labels": labels,
			"datasets": [{"name": _(nom), "values": valeurs} for nom, valeurs in series],
		},
		"type": type_,
		**options,
	}


def resume(*elements: tuple[str, object, str]) -> list[dict]:
	"""The report summary above the table: (label, value, datatype)."""
	return [
		{"label": _(label), "value": valeur, "datatype": datatype, "indicator": "Blue"}
		for label, valeur, datatype in elements
	]


def perimetre(filtres: dict | None):
	from suivi_social.statistiques.perimetre import Perimetre

	return Perimetre.depuis_filtres(filtres)


def note(*phrases: str) -> str:
	"""The explanation shown under the report: how it counts."""
	return "".join(f"<p class='text-muted small'>{frappe.utils.escape_html(p)}</p>" for p in phrases)
