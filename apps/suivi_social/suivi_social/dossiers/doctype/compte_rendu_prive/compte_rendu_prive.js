// Compte rendu privé: the delegate is chosen among the structure's agents.

frappe.ui.form.on("Compte Rendu Prive", {
	setup(frm) {
		frm.set_query("delegue", () => ({
			query: "suivi_social.api.equipe.agents_query",
			filters: { structure: frm.doc.structure },
		}));
	},
});
