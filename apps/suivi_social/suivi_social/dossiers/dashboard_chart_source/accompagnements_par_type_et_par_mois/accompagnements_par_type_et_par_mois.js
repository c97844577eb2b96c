frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Accompagnements par type et par mois"] = {
	method: "suivi_social.dossiers.dashboard_chart_source.accompagnements_par_type_et_par_mois.accompagnements_par_type_et_par_mois.get",
	filters: [
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
		},
	],
};
