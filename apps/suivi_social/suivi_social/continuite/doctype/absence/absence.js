// Absence: the absent agent and the colleague who covers them are agents of the structure.
// Sharing the private reports is the absent agent's own choice (checked again on save).

frappe.ui.form.on("Absence", {
	setup(frm) {
		for (const fieldname of ["agent", "remplacant"]) {
			frm.set_query(fieldname, () => ({
				query: "suivi_social.api.equipe.agents_query",
				filters: { structure: frm.doc.structure },
			}));
		}
	},
	refresh(frm) {
		const par_l_agent = frm.doc.agent === frappe.session.user;
		// Anyone may untick it; only the absent agent may tick it.
		frm.toggle_enable("partager_comptes_rendus", par_l_agent || frm.doc.partager_comptes_rendus);
	},
	agent(frm) {
		frm.trigger("refresh");
	},
	remplacant(frm) {
		if (frm.doc.partager_comptes_rendus && frm.doc.agent !== frappe.session.user) {
			frm.set_value("partager_comptes_rendus", 0);
		}
	},
});
