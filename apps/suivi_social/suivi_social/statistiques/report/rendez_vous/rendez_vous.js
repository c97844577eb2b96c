// Rendez-vous: outcome of the appointments, per agent.
{% include "suivi_social/statistiques/filtres_rapports.js" %}

frappe.query_reports["Rendez-vous"] = {
	filters: suivi_social.statistiques.filtres(),
	onload: suivi_social.statistiques.charger_modes,
	formatter: suivi_social.statistiques.formatter,
};
