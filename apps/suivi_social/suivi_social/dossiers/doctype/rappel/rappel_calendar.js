// Calendar view of rappels (permission-aware: Frappe's get_events reads through get_list).
frappe.views.calendar["Rappel"] = {
	field_map: {
		start: "date_echeance",
		end: "date_echeance",
		id: "name",
		title: "titre",
	},
	filters: [
		{ fieldtype: "Link", fieldname: "assigne_a", options: "User", label: __("Assigné à") },
		{ fieldtype: "Select", fieldname: "statut", options: "\nÀ faire\nFait\nAnnulé", label: __("Statut") },
	],
	get_events_method: "frappe.desk.calendar.get_events",
};
