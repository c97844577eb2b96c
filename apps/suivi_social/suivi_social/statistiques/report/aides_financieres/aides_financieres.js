// Aides financières: per nature, and per year or month when asked.
{% include "suivi_social/statistiques/filtres_rapports.js" %}

frappe.query_reports["Aides financieres"] = {
	filters: [
		...suivi_social.statistiques.filtres({ mode: false }),
		{
			fieldname: "periodicite",
			label: __("Ventilation"),
			fieldtype: "Select",
			default: "",
			options: [
				{ value: "", label: __("Sur toute la période") },
				{ value: "Année", label: __("Par année") },
				{ value: "Mois", label: __("Par mois") },
			],
		},
	],
	formatter: suivi_social.statistiques.formatter,
};
