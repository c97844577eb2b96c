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

	beneficiaire(frm) {
		if (!frm.doc.beneficiaire) return;
		frappe.db.get_value("Beneficiaire", frm.doc.beneficiaire, "structure").then(({ message }) => {
			frm.set_value("structure", message && message.structure);
		});
	},
});
