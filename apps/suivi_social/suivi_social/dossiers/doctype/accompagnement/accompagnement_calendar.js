// Calendar view of appointments (/app/accompagnement/view/calendar/default): each appointment the
// user may read (structure criterion applied on the server), coloured by its first typology, titled
// with the person's name and the agent — no confidential field (dossiers/rendez_vous.py).
// Filter by agent or structure with the list's filters (« Mon agenda » on the workspace sets the
// agent). Moving or resizing an event goes through the same permission-checked save as the form.
frappe.views.calendar["Accompagnement"] = {
	field_map: {
		start: "debut",
		end: "fin",
		id: "name",
		allDay: "journee",
		title: "titre",
		color: "couleur",
	},
	get_events_method: "suivi_social.dossiers.rendez_vous.evenements",
	update_event_method: "suivi_social.dossiers.rendez_vous.deplacer",
	options: {
		// An agent's week in half-hour slots, unless they chose another view (Frappe remembers it).
		defaultView: localStorage.getItem("cal_defaultView") || "agendaWeek",
		minTime: "07:00:00",
		maxTime: "20:00:00",
		slotDuration: "00:30:00",
		firstDay: 1,
		timeFormat: "H:mm",
		slotLabelFormat: "H:mm",
	},
};
