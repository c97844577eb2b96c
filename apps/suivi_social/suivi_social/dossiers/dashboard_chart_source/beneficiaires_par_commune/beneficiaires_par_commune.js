frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Beneficiaires par commune"] = {
	method: "suivi_social.dossiers.dashboard_chart_source.beneficiaires_par_commune.beneficiaires_par_commune.get",
	filters: [
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
		},
	],
};
