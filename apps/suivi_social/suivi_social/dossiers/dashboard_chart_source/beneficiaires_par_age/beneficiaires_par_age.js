frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Beneficiaires par age"] = {
	method: "suivi_social.dossiers.dashboard_chart_source.beneficiaires_par_age.beneficiaires_par_age.get",
	filters: [
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
		},
	],
};
