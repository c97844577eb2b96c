frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Beneficiaires par situation familiale"] = {
	method: "suivi_social.dossiers.dashboard_chart_source.beneficiaires_par_situation_familiale.beneficiaires_par_situation_familiale.get",
	filters: [
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
		},
	],
};
