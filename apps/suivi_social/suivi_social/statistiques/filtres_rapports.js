// Filters shared by the statistics reports, included in each report's script
// (a Jinja include directive, rendered by frappe.desk.query_report.get_script; this comment must not
// spell the directive itself: render_include would take it for a malformed one and refuse the script).

frappe.provide("suivi_social.statistiques");

suivi_social.statistiques.filtres = function ({ agent = true, mode = true } = {}) {
	const filtres = [
		{
			fieldname: "date_debut",
			label: __("Du"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "date_fin",
			label: __("Au"),
			fieldtype: "Date",
			default: frappe.datetime.year_end(),
			reqd: 1,
		},
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
			// The user's own structure (their default User Permission); the link search lists
			// only the structures they belong to.
			default: frappe.defaults.get_user_default("Structure"),
		},
	];
	if (agent) {
		filtres.push({
			fieldname: "agent",
			label: __("Agent"),
			fieldtype: "Link",
			options: "User",
			get_query: () => ({
				query: "suivi_social.api.equipe.agents_query",
				filters: { structure: frappe.query_report.get_filter_value("structure") },
			}),
		});
	}
	if (mode) {
		// Options read from the DocType on load (suivi_social.statistiques.charger_modes).
		filtres.push({ fieldname: "mode", label: __("Mode"), fieldtype: "Select", options: [""] });
	}
	return filtres;
};

// The mode filter offers the Accompagnement's own modes, as customised on the site.
suivi_social.statistiques.charger_modes = function (report) {
	const filtre = report.get_filter("mode");
	if (!filtre) return;
	frappe.model.with_doctype("Accompagnement", () => {
		const df = frappe.meta.get_docfield("Accompagnement", "mode");
		filtre.df.options = ["", ...(df.options || "").split("\n").filter(Boolean)].map((value) => ({
			value,
			label: value ? __(value) : "",
		}));
		filtre.refresh();
	});
};

// The total row (last, « Total… ») in bold.
suivi_social.statistiques.formatter = function (value, row, column, data, default_formatter) {
	const html = default_formatter(value, row, column, data);
	return data && data.est_total ? `<b>${html}</b>` : html;
};
