// Accompagnement: the structure's active typologies and agents only; a due date, or an aid awaiting
// documents, offers a rappel.

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
		frm.add_custom_button(__("Rappel"), () => creer_rappel(frm, "echeance"), __("Créer"));
		if (frappe.user.has_role(["Travailleur social", "Responsable de structure"])) {
			frm.add_custom_button(__("Compte rendu privé"), () => compte_rendu_prive(frm));
		}
	},

	date_echeance(frm) {
		frm._proposer_rappel = Boolean(frm.doc.date_echeance);
	},

	decision(frm) {
		frm._proposer_relance = frm.doc.decision === "En attente de justificatifs";
	},

	after_save(frm) {
		// One question after a save: the follow-up of the missing documents first, else the due date.
		if (frm._proposer_relance) {
			frm._proposer_relance = frm._proposer_rappel = false;
			frappe.confirm(
				__("La demande est en attente de justificatifs : créer un rappel pour relancer ?"),
				() => creer_rappel(frm, "justificatifs")
			);
		} else if (frm._proposer_rappel) {
			frm._proposer_rappel = false;
			frappe.confirm(
				__("Créer un rappel pour l'échéance du {0} ?", [frappe.datetime.str_to_user(frm.doc.date_echeance)]),
				() => creer_rappel(frm, "echeance")
			);
		}
	},
});

function creer_rappel(frm, motif = "echeance") {
	// The proposed values (title, due date, assignee) come from suivi_social.dossiers.rappels.
	frappe
		.xcall("suivi_social.dossiers.rappels.rappel_propose", { accompagnement: frm.doc.name, motif })
		.then(({ date_echeance, ...valeurs }) => {
			frappe.new_doc(
				"Rappel",
				valeurs,
				// Frappe copies only Link, Data and Select values from the options (model/create_new.js):
				// a date has to be set on the new document itself.
				(doc) => {
					doc.date_echeance = date_echeance;
				}
			);
		});
}

function compte_rendu_prive(frm) {
	frappe.db
		.get_list("Compte Rendu Prive", { filters: { accompagnement: frm.doc.name }, limit: 1 })
		.then((rows) => {
			if (rows.length) frappe.set_route("Form", "Compte Rendu Prive", rows[0].name);
			else frappe.new_doc("Compte Rendu Prive", { accompagnement: frm.doc.name });
		});
}

// Appointments (dossiers/rendez_vous.py): the outcome in one click, and a slot selected in the
// calendar (accompagnement_calendar.js) opening a planned appointment.
frappe.ui.form.on("Accompagnement", {
	onload(frm) {
		if (frm.is_new() && frm.doc.debut) creneau_du_calendrier(frm);
		if (frm.is_new()) marquer_rendez_vous(frm);
	},

	refresh(frm) {
		boutons_issue(frm);
	},

	statut(frm) {
		marquer_rendez_vous(frm);
	},

	mode(frm) {
		marquer_rendez_vous(frm);
	},
});


function marquer_rendez_vous(frm) {
	// Rule 1 of Accompagnement.validate_rendez_vous, applied as soon as it holds: a planned
	// accompaniment, or one in an appointment mode, is an appointment, so its place and length are
	// asked at once (they stayed hidden until the first save). Never unticks: the server lets an
	// agent tick any other accompaniment by hand.
	// Modes that are an appointment by nature: MODES_RENDEZ_VOUS of accompagnement.py (boot.py).
	const modes = frappe.boot.suivi_social?.modes_rendez_vous || [];
	const rendez_vous = frm.doc.statut === "Planifié" || modes.includes(frm.doc.mode);
	if (rendez_vous && !frm.doc.rendez_vous) frm.set_value("rendez_vous", 1);
}

function boutons_issue(frm) {
	// Only a planned appointment whose outcome is not recorded; one to come can only be cancelled
	// (the server refuses « Honoré » / « Non honoré » before the date).
	const planifie = frm.doc.rendez_vous && frm.doc.statut === "Planifié";
	if (frm.is_new() || !planifie || frm.doc.issue_rendez_vous) return;
	if (!frappe.model.can_write("Accompagnement", frm.doc.name)) return;
	const groupe = __("Issue du rendez-vous");
	const noter = (issue) => {
		frm.set_value("issue_rendez_vous", issue);
		frm.save().then(() =>
			frappe.show_alert({ message: __("Rendez-vous : {0}", [__(issue)]), indicator: "green" })
		);
	};
	if (frm.doc.date <= frappe.datetime.get_today()) {
		frm.add_custom_button(__("Honoré"), () => noter("Honoré"), groupe);
		frm.add_custom_button(__("Non honoré"), () => noter("Non honoré"), groupe);
	}
	frm.add_custom_button(
		__("Annulé"),
		() => frappe.confirm(__("Annuler ce rendez-vous ?"), () => noter("Annulé")),
		groupe
	);
}

function creneau_du_calendrier(frm) {
	// Frappe's calendar puts the selected slot in the field_map's `debut` / `fin` / `journee`, which
	// are not fields: they become the date, time and length of a planned appointment.
	const debut = moment(frm.doc.debut);
	const fin = frm.doc.fin ? moment(frm.doc.fin) : null;
	const journee = frm.doc.journee;
	["debut", "fin", "journee"].forEach((cle) => delete frm.doc[cle]);
	frm.set_value("statut", "Planifié");
	frm.set_value("date", debut.format("YYYY-MM-DD"));
	if (!journee) {
		frm.set_value("heure", debut.format("HH:mm:ss"));
		if (fin && fin.isSame(debut, "day")) frm.set_value("duree", fin.diff(debut, "minutes"));
	}
}
