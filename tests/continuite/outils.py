"""Helpers of the continuity tests: absences relative to today."""

import frappe
from frappe.utils import add_days, today


def jour(decalage: int = 0) -> str:
	return str(add_days(today(), decalage))


def absence(structure: str, agent: str, remplacant: str, du: int = -1, au: int = 2, **values):
	"""An Absence document (not inserted), `du`/`au` in days from today."""
	return frappe.get_doc(
		{
			"doctype": "Absence",
			"structure": structure,
			"agent": agent,
			"remplacant": remplacant,
			"du": jour(du),
			"au": jour(au),
			**values,
		}
	)
