// Activité par typologie: filters shared by the statistics reports.
{% include "suivi_social/statistiques/filtres_rapports.js" %}

frappe.query_reports["Activite par typologie"] = {
	filters: suivi_social.statistiques.filtres(),
	onload: suivi_social.statistiques.charger_modes,
	formatter: suivi_social.statistiques.formatter,
};
