// Rappel: assigned to an agent of the structure; the file fills in the structure.

frappe.ui.form.on("Rappel", {
	setup(frm) {
		frm.set_query("assigne_a", () => ({
			query: "suivi_social.api.equipe.agents_query",
			filters: { structure: frm.doc.structure },
		}));
		frm.set_query("accompagnement", () => ({
			filters: frm.doc.beneficiaire ? { beneficiaire: frm.doc.beneficiaire } : {},
		}));
	},
});
