// Bénéficiaire: referents among the structure's agents; a likely duplicate is confirmed before saving.

frappe.ui.form.on("Beneficiaire", {
	setup(frm) {
		// A Table MultiSelect takes its query on the table field itself.
		frm.set_query("referents", () => ({
			query: "suivi_social.api.equipe.agents_query",
			filters: { structure: frm.doc.structure },
		}));
		frm.set_query("beneficiaire_lie", "entourage", () => ({
			filters: { structure: frm.doc.structure, name: ["!=", frm.doc.name] },
		}));
	},

	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Accompagnement"), () => nouveau(frm, "Accompagnement"), __("Créer"));
			frm.add_custom_button(__("Rendez-vous"), () => nouveau(frm, "Accompagnement", { statut: "Planifié" }), __("Créer"));
			frm.add_custom_button(__("Rappel"), () => nouveau(frm, "Rappel"), __("Créer"));
		}
	},

	validate(frm) {
		const d = frm.doc;
		// Without a structure the save itself says the field is missing: nothing to compare with.
		if (d.doublon_confirme || !d.structure || !d.nom_usage || !d.prenoms || !d.date_naissance) return;
		if (!(frm.is_new() || frm.is_dirty())) return;
		return frappe
			.call("suivi_social.api.beneficiaire.doublons_probables", {
				structure: d.structure,
				nom_usage: d.nom_usage,
				prenoms: d.prenoms,
				date_naissance: d.date_naissance,
				name: frm.is_new() ? null : d.name,
			})
			.then(({ message: doublons }) => {
				if (!doublons || !doublons.length) return;
				const liens = doublons
					.map((x) => `<a href="/app/beneficiaire/${encodeURIComponent(x.name)}">${frappe.utils.escape_html(x.name)} — ${frappe.utils.escape_html(x.nom_complet)}</a>`)
					.join("<br>");
				return new Promise((resolve) => {
					frappe.confirm(
						__("Un dossier existe peut-être déjà pour cette personne :") +
							`<br>${liens}<br><br>` +
							__("Enregistrer quand même ce nouveau dossier (il s'agit d'une autre personne) ?"),
						() => {
							frm.doc.doublon_confirme = 1;
							resolve();
						},
						() => {
							frappe.validated = false;
							resolve();
						}
					);
				});
			});
	},
});

function nouveau(frm, doctype, valeurs = {}) {
	frappe.new_doc(doctype, { beneficiaire: frm.doc.name, ...valeurs });
}
