frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Rappels en retard par agent"] = {
	method: "suivi_social.dossiers.dashboard_chart_source.rappels_en_retard_par_agent.rappels_en_retard_par_agent.get",
	filters: [
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
		},
	],
};
