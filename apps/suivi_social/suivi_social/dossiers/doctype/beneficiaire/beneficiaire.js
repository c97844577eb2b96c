// Bénéficiaire: referents among the structure's agents; a likely duplicate is confirmed before saving;
// « Fusionner avec un autre dossier » (dossiers/fusion.py) when one person has two files.

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
			// Offered by the merge's own rule (dossiers/fusion.py: the Responsable and the travailleurs
			// sociaux of the structure, the administrator; never the Agent d'accueil).
			if ((frm.doc.__onload || {}).peut_fusionner) {
				frm.add_custom_button(__("Fusionner avec un autre dossier"), () => choisir_le_dossier(frm));
			}
			// The persons' rights, offered by their own rules (rgpd/droits.py).
			const droits = (frm.doc.__onload || {}).droits_rgpd || {};
			if (droits.peut_exporter) {
				frm.add_custom_button(__("Droit d'accès : exporter le dossier"), () => exporter_le_dossier(frm));
			}
			if (droits.peut_effacer) {
				frm.page.add_menu_item(__("Effacer définitivement le dossier (RGPD)"), () => effacer_le_dossier(frm));
			}
		}
	},

	validate(frm) {
		const d = frm.doc;
		// Without a structure the save itself says the field is missing: nothing to compare with.
		// The same matching as the save and the import (a birth date may be missing).
		if (d.doublon_confirme || !d.structure || !d.nom_usage || !d.prenoms) return;
		if (!(frm.is_new() || frm.is_dirty())) return;
		return frappe
			.call("suivi_social.api.beneficiaire.doublons_probables", {
				structure: d.structure,
				nom_usage: d.nom_usage,
				prenoms: d.prenoms,
				date_naissance: d.date_naissance || null,
				nom_naissance: d.nom_naissance || null,
				commune: d.commune || null,
				telephone: d.telephone || null,
				telephone_2: d.telephone_2 || null,
				adresse: d.adresse || null,
				name: frm.is_new() ? null : d.name,
			})
			.then(({ message: doublons }) => {
				if (!doublons || !doublons.length) return;
				const e = frappe.utils.escape_html;
				const liens = doublons
					.map(
						(x) =>
							`<a href="/app/beneficiaire/${encodeURIComponent(x.name)}">${e(x.name)} — ${e(x.nom_complet)}</a> (${e(
								x.raison
							)})`
					)
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

// --- Droits des personnes (rgpd/droits.py) -----------------------------------------------------

const RGPD = "suivi_social.rgpd.droits.";

function exporter_le_dossier(frm) {
	const d = new frappe.ui.Dialog({
		title: __("Droit d'accès : exporter le dossier"),
		fields: [
			{
				fieldtype: "HTML",
				options: `<p>${frappe.utils.escape_html(
					__("Le dossier complet de la personne (informations confidentielles comprises), ses accompagnements, rappels, commentaires et la liste de ses documents, à lui remettre. L'export est inscrit au journal des accès.")
				)}</p>`,
			},
			{
				fieldname: "format",
				fieldtype: "Select",
				label: __("Format"),
				options: [
					{ value: "pdf", label: __("PDF (à imprimer ou remettre)") },
					{ value: "json", label: __("JSON (données structurées)") },
				],
				default: "pdf",
				reqd: 1,
			},
		],
		primary_action_label: __("Exporter"),
		primary_action({ format }) {
			d.hide();
			// POST: each export writes to the Access Log.
			open_url_post(`/api/method/${RGPD}exporter_dossier`, {
				structure: frm.doc.structure,
				beneficiaire: frm.doc.name,
				format,
			});
		},
	});
	nommer_les_champs(d);
	d.show();
}

async function effacer_le_dossier(frm) {
	const { comptes } = await frappe.xcall(RGPD + "apercu_effacement", {
		structure: frm.doc.structure,
		beneficiaire: frm.doc.name,
	});
	const e = frappe.utils.escape_html;
	const lignes = [
		[__("accompagnement(s)"), comptes.Accompagnement],
		[__("compte(s) rendu(s) privé(s)"), comptes["Compte Rendu Prive"]],
		[__("rappel(s)"), comptes.Rappel],
		[__("document(s) joint(s)"), comptes.File],
	]
		.map(([libelle, n]) => `<li>${e(`${n || 0} ${libelle}`)}</li>`)
		.join("");
	const d = new frappe.ui.Dialog({
		title: __("Effacer définitivement le dossier {0}", [frm.doc.name]),
		fields: [
			{
				fieldtype: "HTML",
				options: `<div class="alert alert-danger">
					<p>${e(__("Droit à l'effacement (article 17 du RGPD) : le dossier est supprimé sans retour possible, avec :"))}</p>
					<ul>${lignes}</ul>
					<p>${e(__("Son historique, ses commentaires, ses e-mails et notifications, et toute copie dans la corbeille sont aussi supprimés. Une trace de l'effacement, sans aucune donnée sur la personne, est conservée."))}</p>
				</div>`,
			},
			{
				fieldname: "confirmation",
				fieldtype: "Data",
				label: __("Pour confirmer, saisissez le numéro du dossier ({0})", [frm.doc.name]),
				reqd: 1,
			},
		],
		primary_action_label: __("Effacer définitivement"),
		secondary_action_label: __("Annuler"),
		secondary_action: () => d.hide(),
		async primary_action({ confirmation }) {
			const { message } = await frappe.call({
				method: RGPD + "effacer_dossier",
				args: { structure: frm.doc.structure, beneficiaire: frm.doc.name, confirmation },
				freeze: true,
				freeze_message: __("Effacement du dossier…"),
			});
			d.hide();
			frappe.msgprint({
				title: __("Dossier effacé"),
				indicator: "green",
				message: e(
					__("Le dossier a été effacé. Référence de l'effacement, à communiquer à la personne : {0}", [message.reference])
				),
			});
			frappe.model.remove_from_locals(frm.doctype, frm.docname);
			frappe.set_route("List", "Beneficiaire");
		},
	});
	d.get_primary_btn().removeClass("btn-primary").addClass("btn-danger");
	nommer_les_champs(d);
	d.show();
}

function nouveau(frm, doctype, valeurs = {}) {
	frappe.new_doc(doctype, { beneficiaire: frm.doc.name, ...valeurs });
}

// --- « Fusionner avec un autre dossier » ------------------------------------------------------

const FUSION = "suivi_social.api.fusion.";

async function choisir_le_dossier(frm) {
	const candidats = await frappe.xcall(FUSION + "candidats", { beneficiaire: frm.doc.name });
	const niveau = (c) => (c.niveau === "certain" ? __("sans doute la même personne") : __("peut-être la même personne"));
	const options = candidats.map((c) => ({
		value: c.name,
		label: `${c.name} — ${c.nom_complet} (${niveau(c)} : ${c.raison})`,
	}));
	const d = new frappe.ui.Dialog({
		title: __("Fusionner avec un autre dossier"),
		fields: [
			{
				fieldtype: "HTML",
				options: `<p>${frappe.utils.escape_html(
					options.length
						? __("Dossiers de la structure qui désignent peut-être la même personne que {0} :", [frm.doc.nom_complet])
						: __("Aucun autre dossier de la structure ne ressemble à {0} : choisissez le dossier à fusionner.", [frm.doc.nom_complet])
				)}</p>`,
			},
			{
				fieldname: "candidat",
				fieldtype: "Select",
				label: __("Dossier proche"),
				options: options,
				default: options.length ? options[0].value : null,
				hidden: !options.length,
			},
			{
				fieldname: "autre",
				fieldtype: "Link",
				options: "Beneficiaire",
				label: options.length ? __("Ou un autre dossier de la structure") : __("Dossier à fusionner"),
				get_query: () => ({ filters: { structure: frm.doc.structure, name: ["!=", frm.doc.name] } }),
			},
			{
				fieldname: "garder",
				fieldtype: "Select",
				label: __("Dossier conservé"),
				options: [
					{ value: "celui-ci", label: __("Ce dossier-ci ({0})", [frm.doc.name]) },
					{ value: "autre", label: __("L'autre dossier") },
				],
				default: "celui-ci",
				description: __("L'autre dossier est supprimé après que tout ce qui s'y rattache est passé au dossier conservé."),
			},
		],
		primary_action_label: __("Continuer"),
		primary_action(valeurs) {
			const autre = valeurs.autre || valeurs.candidat;
			if (!autre) {
				frappe.show_alert({ message: __("Choisissez le dossier à fusionner."), indicator: "orange" });
				return;
			}
			d.hide();
			const [garde, absorbe] = valeurs.garder === "autre" ? [autre, frm.doc.name] : [frm.doc.name, autre];
			confirmer_la_fusion(frm, garde, absorbe);
		},
	});
	nommer_les_champs(d);
	d.show();
}

async function confirmer_la_fusion(frm, garde, absorbe) {
	const a = await frappe.xcall(FUSION + "apercu", { garde, absorbe });
	const e = frappe.utils.escape_html;
	const decrire = (x) =>
		`<strong>${e(x.name)}</strong> (${e(x.nom_complet)}, ${
			x.date_naissance
				? e(__("né(e) le {0}", [frappe.datetime.str_to_user(x.date_naissance)]))
				: e(__("date de naissance inconnue"))
		})`;
	if (!a.peut_fusionner) {
		frappe.msgprint({ title: __("Fusion impossible"), message: e(a.refus), indicator: "orange" });
		return;
	}
	const d = new frappe.ui.Dialog({
		title: __("Confirmer la fusion des deux dossiers"),
		fields: [
			{
				fieldtype: "HTML",
				options: `<div class="fusion-resume">
					<p>${__("Le dossier {0} sera fusionné dans le dossier {1}, qui est conservé.", [decrire(a.absorbe), decrire(a.garde)])}</p>
					<p>${e(__("Passent au dossier {0} :", [a.garde.name]))}</p>
					<ul>
						<li>${e(__("{0} accompagnement(s), avec leurs comptes rendus privés", [a.accompagnements]))}</li>
						<li>${e(__("{0} rappel(s)", [a.rappels]))}</li>
						<li>${e(__("{0} document(s) joint(s)", [a.documents]))}</li>
						<li>${e(__("ses commentaires, ses référents, son entourage et ses ressources"))}</li>
					</ul>
					<p>${e(
						__("Ses informations complètent les champs vides du dossier {0}, sans rien y remplacer. Le dossier {1} est ensuite supprimé ; une note de l'historique garde la trace de la fusion.", [
							a.garde.name,
							a.absorbe.name,
						])
					)}</p>
				</div>`,
			},
		],
		primary_action_label: __("Fusionner les dossiers"),
		secondary_action_label: __("Annuler"),
		secondary_action: () => d.hide(),
		async primary_action() {
			await frappe.call({
				method: FUSION + "fusionner",
				args: { garde, absorbe },
				freeze: true,
				freeze_message: __("Fusion des dossiers…"),
			});
			d.hide();
			frappe.show_alert({
				message: __("Le dossier {0} a été fusionné dans le dossier {1}.", [absorbe, garde]),
				indicator: "green",
			});
			if (garde === frm.doc.name) frm.reload_doc();
			else frappe.set_route("Form", "Beneficiaire", garde);
		},
	});
	nommer_les_champs(d);
	d.show();
}

/** Frappe's control labels are not tied to their inputs: name them for screen readers. */
function nommer_les_champs(dialogue) {
	for (const champ of Object.values(dialogue.fields_dict)) {
		if (champ.$input && champ.df.label) champ.$input.attr("aria-label", champ.df.label);
	}
}
