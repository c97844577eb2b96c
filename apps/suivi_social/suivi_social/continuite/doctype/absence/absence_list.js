// Absences: ongoing ones stand out.

frappe.listview_settings["Absence"] = {
	add_fields: ["du", "au"],
	get_indicator(doc) {
		const jour = frappe.datetime.get_today();
		if (doc.du <= jour && doc.au >= jour) return [__("En cours"), "orange"];
		if (doc.du > jour) return [__("À venir"), "blue"];
		return [__("Terminée"), "gray"];
	},
};
