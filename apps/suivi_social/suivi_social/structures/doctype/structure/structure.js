// Structure: its team (invite, change role, remove) and the typology catalogue.

const ROLES_DE_STRUCTURE = ["Responsable de structure", "Travailleur social", "Agent d'accueil"];

frappe.ui.form.on("Structure", {
	refresh(frm) {
		if (frm.is_new()) return;
		const gestionnaire = frappe.user.has_role(["Responsable de structure", "Administrateur Suivi social", "System Manager"]);
		if (gestionnaire) {
			frm.add_custom_button(__("Inviter un collègue"), () => inviter(frm), __("Équipe"));
			frm.add_custom_button(__("Retirer un collègue"), () => retirer(frm), __("Équipe"));
			// Before a colleague leaves: their files, rappels and appointments to someone else.
			frm.add_custom_button(__("Réaffecter le travail d'un agent"), () => reaffecter(frm), __("Équipe"));
			frm.add_custom_button(__("Importer le catalogue des types d'accompagnement"), () =>
				frm.call("importer_catalogue").then(({ message }) =>
					frappe.show_alert({ message: __("{0} types d'accompagnement ajoutés", [message]), indicator: "green" })
				)
			);
		}
		afficher_equipe(frm);
	},
});

function afficher_equipe(frm) {
	frappe.call("suivi_social.api.equipe.equipe", { structure: frm.doc.name }).then(({ message: agents }) => {
		const lignes = (agents || [])
			.map((a) => `<tr><td>${frappe.utils.escape_html(a.full_name || a.name)}</td><td>${frappe.utils.escape_html(a.name)}</td><td>${a.roles.map((r) => __(r)).join(", ")}</td><td>${a.enabled ? "" : __("désactivé")}</td></tr>`)
			.join("");
		frm.dashboard.add_section(
			`<table class="table table-sm"><thead><tr><th>${__("Agent")}</th><th>${__("E-mail")}</th><th>${__("Rôle")}</th><th></th></tr></thead><tbody>${lignes}</tbody></table>`,
			__("Équipe")
		);
	});
}

function inviter(frm) {
	const d = new frappe.ui.Dialog({
		title: __("Inviter un collègue dans {0}", [frm.doc.name]),
		fields: [
			{ fieldname: "email", fieldtype: "Data", options: "Email", label: __("E-mail"), reqd: 1 },
			{ fieldname: "prenom", fieldtype: "Data", label: __("Prénom"), reqd: 1 },
			{ fieldname: "nom", fieldtype: "Data", label: __("Nom"), reqd: 1 },
			{ fieldname: "role", fieldtype: "Select", label: __("Rôle"), options: ROLES_DE_STRUCTURE, reqd: 1, default: "Travailleur social" },
		],
		primary_action_label: __("Inviter"),
		primary_action(values) {
			frappe
				.call({ method: "suivi_social.api.equipe.inviter_collegue", args: { structure: frm.doc.name, ...values }, freeze: true })
				.then(({ message }) => {
					d.hide();
					frappe.show_alert({ message: __("{0} a été ajouté(e) à l'équipe", [values.email]), indicator: "green" });
					frm.reload_doc();
					if (message && message.lien_mot_de_passe) montrer_lien(values, message.lien_mot_de_passe);
				});
		},
	});
	d.show();
}

function montrer_lien(values, lien) {
	// No outgoing e-mail account: the Responsable passes the link on (it works once).
	frappe.msgprint({
		title: __("Première connexion de {0} {1}", [values.prenom, values.nom]),
		indicator: "blue",
		message:
			__("Ce site n'envoie pas d'e-mails : transmettez ce lien à votre collègue pour qu'il ou elle choisisse son mot de passe (il ne sert qu'une fois).") +
			`<p><input class="form-control" readonly value="${frappe.utils.escape_html(lien)}" aria-label="${__("Lien de première connexion")}"></p>`,
	});
}

function retirer(frm) {
	frappe.prompt(
		{ fieldname: "email", fieldtype: "Data", options: "Email", label: __("E-mail du collègue"), reqd: 1 },
		({ email }) =>
			frappe
				.call({ method: "suivi_social.api.equipe.retirer_collegue", args: { structure: frm.doc.name, email }, freeze: true })
				.then(() => frm.reload_doc()),
		__("Retirer un collègue de {0}", [frm.doc.name]),
		__("Retirer")
	);
}

// Bulk reassignment (continuite/reaffectation.py): preview first, then one action.
function reaffecter(frm) {
	const requete = () => ({
		query: "suivi_social.api.equipe.agents_query",
		filters: { structure: frm.doc.name },
	});
	const d = new frappe.ui.Dialog({
		title: __("Réaffecter le travail d'un agent de {0}", [frm.doc.name]),
		fields: [
			{ fieldname: "agent", fieldtype: "Link", options: "User", label: __("Agent qui part"), reqd: 1, get_query: requete },
			{ fieldname: "collegue", fieldtype: "Link", options: "User", label: __("Collègue qui reprend"), reqd: 1, get_query: requete },
			{ fieldname: "apercu", fieldtype: "HTML" },
		],
		primary_action_label: __("Voir ce qui sera réaffecté"),
		primary_action(values) {
			if (d.apercu_pour === `${values.agent}|${values.collegue}`) return executer(values);
			frappe
				.call({
					method: "suivi_social.continuite.reaffectation.apercu",
					args: { structure: frm.doc.name, agent: values.agent, collegue: values.collegue },
					type: "GET",
				})
				.then(({ message }) => {
					d.fields_dict.apercu.$wrapper.html(apercu_html(message));
					const possible = !message.erreur && message.dossiers + message.rappels + message.rendez_vous + message.taches > 0;
					d.apercu_pour = possible ? `${values.agent}|${values.collegue}` : null;
					d.set_primary_action(possible ? __("Réaffecter") : __("Voir ce qui sera réaffecté"), d.primary_action);
				});
		},
	});
	const executer = (values) =>
		frappe.confirm(__("Confirmer la réaffectation ? Chaque document gardera une trace du changement."), () =>
			frappe
				.call({
					method: "suivi_social.continuite.reaffectation.reaffecter",
					args: { structure: frm.doc.name, agent: values.agent, collegue: values.collegue },
					freeze: true,
					freeze_message: __("Réaffectation en cours…"),
				})
				.then(({ message }) => {
					d.hide();
					frappe.show_alert({ message: __("Réaffectation {0} enregistrée", [message.name]), indicator: "green" });
					frappe.set_route("Form", "Reaffectation", message.name);
				})
		);
	// Changing a person asks for a new preview.
	for (const fieldname of ["agent", "collegue"]) {
		d.fields_dict[fieldname].df.onchange = () => {
			d.apercu_pour = null;
			d.fields_dict.apercu.$wrapper.empty();
			d.set_primary_action(__("Voir ce qui sera réaffecté"), d.primary_action);
		};
	}
	d.show();
}

function apercu_html(a) {
	const esc = frappe.utils.escape_html;
	const sections = [
		["dossiers", __("Dossiers dont l'agent est référent")],
		["rappels", __("Rappels à faire")],
		["rendez_vous", __("Rendez-vous à venir")],
		["taches", __("Tâches assignées")],
	];
	let html = `<div class="reaffectation-apercu" role="region" aria-live="polite" aria-label="${__("Aperçu")}">`;
	if (a.erreur) html += `<div class="alert alert-danger">${esc(a.erreur)}</div>`;
	for (const [cle, titre] of sections) {
		const lignes = a.listes[cle] || [];
		html += `<h5>${titre} : ${a[cle]}</h5>`;
		if (lignes.length) {
			html += `<ul>${lignes.map((l) => `<li>${esc(l.libelle)}</li>`).join("")}</ul>`;
			if (a[cle] > lignes.length) html += `<p class="text-muted">${__("… et {0} autres", [a[cle] - lignes.length])}</p>`;
		}
	}
	return html + "</div>";
}
