frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Beneficiaires par genre"] = {
	method: "suivi_social.dossiers.dashboard_chart_source.beneficiaires_par_genre.beneficiaires_par_genre.get",
	filters: [
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
		},
	],
};
