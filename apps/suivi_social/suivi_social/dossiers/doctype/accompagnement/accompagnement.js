// Accompagnement: the structure's active typologies and agents only; a due date offers a rappel.

frappe.ui.form.on("Accompagnement", {
	setup(frm) {
		// A Table MultiSelect takes its query on the table field itself.
		frm.set_query("types_accompagnement", () => ({
			filters: { structure: frm.doc.structure, actif: 1 },
		}));
		frm.set_query("agent", () => ({
			query: "suivi_social.api.equipe.agents_query",
			filters: { structure: frm.doc.structure },
		}));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Rappel"), () => creer_rappel(frm), __("Créer"));
		if (frappe.user.has_role(["Travailleur social", "Responsable de structure"])) {
			frm.add_custom_button(__("Compte rendu privé"), () => compte_rendu_prive(frm));
		}
	},

	date_echeance(frm) {
		frm._proposer_rappel = Boolean(frm.doc.date_echeance);
	},

	after_save(frm) {
		if (!frm._proposer_rappel) return;
		frm._proposer_rappel = false;
		frappe.confirm(
			__("Créer un rappel pour l'échéance du {0} ?", [frappe.datetime.str_to_user(frm.doc.date_echeance)]),
			() => creer_rappel(frm)
		);
	},
});

function creer_rappel(frm) {
	const echeance = frm.doc.date_echeance || frappe.datetime.get_today();
	frappe.new_doc(
		"Rappel",
		{
			accompagnement: frm.doc.name,
			beneficiaire: frm.doc.beneficiaire,
			assigne_a: frm.doc.agent,
			titre: __("Échéance : {0}", [frm.doc.nom_beneficiaire || frm.doc.beneficiaire]),
		},
		// Frappe copies only Link, Data and Select values from the options (model/create_new.js):
		// a date has to be set on the new document itself.
		(doc) => {
			doc.date_echeance = echeance;
		}
	);
}

function compte_rendu_prive(frm) {
	frappe.db
		.get_list("Compte Rendu Prive", { filters: { accompagnement: frm.doc.name }, limit: 1 })
		.then((rows) => {
			if (rows.length) frappe.set_route("Form", "Compte Rendu Prive", rows[0].name);
			else frappe.new_doc("Compte Rendu Prive", { accompagnement: frm.doc.name });
		});
}
