// Profil des bénéficiaires: one distribution at a time, chosen by the « Répartition » filter.
{% include "suivi_social/statistiques/filtres_rapports.js" %}

frappe.query_reports["Profil des beneficiaires"] = {
	filters: [
		...suivi_social.statistiques.filtres(),
		{
			fieldname: "repartition",
			label: __("Répartition"),
			fieldtype: "Select",
			default: "tranche_age",
			reqd: 1,
			options: [
				{ value: "tranche_age", label: __("Tranche d'âge") },
				{ value: "genre", label: __("Genre") },
				{ value: "commune", label: __("Commune") },
				{ value: "situation_familiale", label: __("Situation familiale") },
				{ value: "mode_hebergement", label: __("Logement") },
				{ value: "ressources", label: __("Ressources") },
				{ value: "nouveaux", label: __("Nouveaux et déjà suivis") },
			],
		},
	],
	onload: suivi_social.statistiques.charger_modes,
	formatter: suivi_social.statistiques.formatter,
};
