"""Dashboard chart source « Beneficiaires par commune »: computed in suivi_social.dossiers.tableau_de_bord."""

import frappe

from suivi_social.dossiers import tableau_de_bord


@frappe.whitelist()
def get(
	chart_name: str | None = None,
	chart: str | None = None,
	no_cache: str | int | None = None,
	filters: str | list | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
	refresh: str | int | None = None,
) -> dict:
	"""Called by the desk's chart widget with the arguments of every chart; only `filters` applies.
	Not decorated with frappe.utils.dashboard.cache_source: each user's figures are computed for
	them, nothing is shared through a cache."""
	return tableau_de_bord.repartition_par_commune(filters)
