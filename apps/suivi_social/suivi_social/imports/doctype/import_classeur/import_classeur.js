// Import Classeur: the desk flow of the import of a legacy workbook (README « Importer les anciens
// classeurs »): new import → upload → « Analyser le classeur » (each sheet's mapping and typology,
// editable) → « Faire un essai » (the dry-run report) → « Lancer l'import » (background job, live
// progress) → the summary and the rejected rows. The engine is imports/ (api.py); this is display.
//
// Everything is drawn in the form's dashboard (frm.dashboard sections and progress bar), redrawn
// from the document at each refresh. The mapping's selects write into the sheet rows (child table
// « feuilles », hidden), so that saving the form saves the user's choices.

const API = "suivi_social.imports.api.";
const EN_COURS = ["En attente", "En cours"];
const NOUVEAU_TYPE = "__nouveau__";
const PAR_PAGE = 50;
// Shown as the summary cards instead.
const CHAMPS_MASQUES = [
	"feuilles",
	"decisions",
	"progression",
	"message_progression",
	"rapport_analyse",
	"rapport",
	"fichier_rejets",
	"lignes_total",
	"lignes_importees",
	"lignes_fusionnees",
	"lignes_a_verifier",
	"lignes_rejetees",
	"lignes_deja_importees",
	"personnes_creees",
	"personnes_existantes",
	"accompagnements_crees",
	"resume_typologies",
];

const e = (texte) => frappe.utils.escape_html(texte === 0 ? "0" : texte);

function issues_au_pluriel() {
	return {
		imported: __("Importées"),
		merged: __("Fusionnées avec un dossier existant"),
		review: __("À vérifier"),
		rejected: __("Rejetées"),
	};
}

function issue_d_une_ligne(issue) {
	return {
		imported: __("Importée"),
		merged: __("Fusionnée avec un dossier existant"),
		review: __("À vérifier"),
		rejected: __("Rejetée"),
	}[issue];
}

const COULEUR_ISSUE = { imported: "green", merged: "blue", review: "orange", rejected: "red" };

frappe.ui.form.on("Import Classeur", {
	setup(frm) {
		frm.set_query("agent_par_defaut", () => ({
			query: "suivi_social.api.equipe.agents_query",
			filters: { structure: frm.doc.structure },
		}));
		frm.get_field("fichier").df.options = {
			restrictions: { allowed_file_types: [".xlsx", ".xls", ".ods", ".csv"] },
		};
		// Each step saves the import on the server, and Frappe's doc_update event then reloads the
		// form a second later (model.js, debounced): by then the user may have changed a mapping, which
		// the reload would silently drop. Our own steps reload the form already; skip a reload that
		// would discard changes. The event often arrives before our own reload has brought the
		// saved version: by the time it fires the form is already up to date, and a second reload
		// would re-render the mapping under the user's cursor. Reload only for a newer version.
		frm.debounced_reload_doc = frappe.utils.debounce(async () => {
			if (frm.is_dirty() || frm.is_new()) return;
			const { message } = await frappe.db.get_value(frm.doctype, frm.docname, "modified");
			if (!message || message.modified === frm.doc.modified || frm.is_dirty()) return;
			frm.reload_doc();
		}, 1000);
		// Published by the background job in the document's room (imports/execution.py).
		frappe.realtime.on("import_classeur_progression", (data) => {
			if (data && data.import_classeur === frm.doc.name) progression_recue(frm, data);
		});
	},

	refresh(frm) {
		arreter_le_suivi(frm);
		frm.toggle_display(CHAMPS_MASQUES, false);
		const jeton = (frm.__rendu = (frm.__rendu || 0) + 1);
		if (frm.is_new()) {
			frm.set_intro(
				__(
					"Choisissez la structure, puis joignez le classeur (.xlsx, .xls, .ods ou .csv) : il reste privé, et l'import est enregistré dès qu'il est joint."
				),
				"blue"
			);
			return;
		}
		// The colours are the list view's (import_classeur_list.js, loaded with the DocType).
		const [libelle, couleur] = frappe.listview_settings["Import Classeur"].get_indicator(frm.doc);
		frm.page.set_indicator(libelle, couleur);
		afficher_l_etape(frm, jeton).catch((erreur) => console.warn(erreur));
	},
});

// --- Steps --------------------------------------------------------------------------------------

async function afficher_l_etape(frm, jeton) {
	const d = frm.doc;
	if (EN_COURS.includes(d.statut)) {
		frm.set_intro(
			__("L'import tourne en tâche de fond : vous pouvez quitter cette page, il continue."),
			"orange"
		);
		montrer_progression(frm, d.progression || 0, d.message_progression);
		suivre(frm);
		return;
	}
	if (d.statut === "Terminé") {
		const synthese = await synthese_du_rapport(frm, 0);
		if (jeton !== frm.__rendu) return;
		afficher_resultat(frm, synthese);
		return;
	}
	if (!d.fichier) {
		frm.set_intro(__("Joignez le classeur à importer."), "blue");
		return;
	}
	const preparee = (d.feuilles || []).length > 0;
	const analysee = d.statut === "Analysé" && d.rapport_analyse;
	const boutons = [];
	boutons.push(
		frm.add_custom_button(preparee ? __("Analyser à nouveau") : __("Analyser le classeur"), () =>
			analyser(frm)
		)
	);
	if (preparee) boutons.push(frm.add_custom_button(__("Faire un essai"), () => essai(frm)));
	if (analysee || d.statut === "Échec") {
		const libelle = d.statut === "Échec" ? __("Relancer l'import") : __("Lancer l'import");
		boutons.push(frm.add_custom_button(libelle, () => lancer(frm)));
	}
	// The next step stands out.
	boutons[boutons.length - 1].removeClass("btn-default").addClass("btn-primary");

	if (d.statut === "Échec") {
		frm.set_intro(
			__(
				"L'import s'est arrêté : {0} Les lots déjà écrits sont conservés ; « Relancer l'import » termine le reste, sans doublon.",
				[e(d.message_progression || "")]
			),
			"red"
		);
	} else if (analysee) {
		frm.set_intro(
			__(
				"Essai du {0} : rien n'a encore été écrit. Si le rapport ci-dessous vous convient, lancez l'import ; sinon corrigez la correspondance et refaites l'essai.",
				[frappe.datetime.str_to_user(d.date_analyse)]
			),
			"blue"
		);
	} else if (preparee) {
		frm.set_intro(
			__(
				"Vérifiez, feuille par feuille, le champ que remplit chaque colonne et le type d'accompagnement que deviennent ses lignes, puis faites un essai : il n'écrit rien."
			),
			"blue"
		);
	} else {
		frm.set_intro(
			__("« Analyser le classeur » lit chaque feuille et propose le champ que remplit chaque colonne."),
			"blue"
		);
	}
	if (!preparee) return;

	const [cibles, types, synthese] = await Promise.all([
		charger_cibles(),
		types_de_la_structure(d.structure),
		analysee ? synthese_du_rapport(frm, 1) : null,
	]);
	if (jeton !== frm.__rendu) return;
	// After a dry run, its report first: it tells what to correct in the mapping below.
	if (synthese) afficher_rapport(frm, synthese, 1);
	afficher_correspondance(frm, cibles, types);
}

async function analyser(frm) {
	if (!(await enregistrer(frm))) return;
	await frappe.call({
		method: API + "preparer",
		args: { name: frm.doc.name },
		freeze: true,
		freeze_message: __("Lecture du classeur…"),
	});
	await frm.reload_doc();
}

async function essai(frm) {
	if (!(await enregistrer(frm))) return;
	const r = await frappe.call({
		method: API + "essai",
		args: { name: frm.doc.name },
		freeze: true,
		freeze_message: __("Essai en cours : rien n'est écrit…"),
	});
	frm.__synthese_recue = r.message;
	await frm.reload_doc();
	frappe.show_alert({ message: __("Essai terminé : rien n'a été écrit."), indicator: "blue" });
}

function lancer(frm) {
	const d = frm.doc;
	const a_ecrire = (d.lignes_total || 0) - (d.lignes_rejetees || 0) - (d.lignes_deja_importees || 0);
	frappe.confirm(
		__(
			"Importer {0} lignes du classeur « {1} » dans la structure « {2} » ? Les dossiers et les accompagnements sont créés en tâche de fond ; les lignes rejetées par l'essai ne sont pas importées.",
			[a_ecrire, e(d.nom_fichier), e(d.structure)]
		),
		async () => {
			await frappe.call({
				method: API + "lancer",
				args: { name: d.name },
				freeze: true,
				freeze_message: __("Mise en file d'attente…"),
			});
			await frm.reload_doc();
		}
	);
}

/** Save the user's changes first; false when the save was refused. */
async function enregistrer(frm) {
	if (!frm.is_dirty()) return true;
	await frm.save();
	return !frm.is_dirty();
}

// --- Mapping ------------------------------------------------------------------------------------

let promesse_cibles = null;

function charger_cibles() {
	promesse_cibles = promesse_cibles || frappe.xcall(API + "cibles");
	return promesse_cibles;
}

function types_de_la_structure(structure) {
	return frappe.db.get_list("Type Accompagnement", {
		filters: { structure, actif: 1 },
		fields: ["name", "nom"],
		order_by: "nom asc",
		limit: 0,
	});
}

function lire_json(texte) {
	try {
		return texte ? JSON.parse(texte) : null;
	} catch (erreur) {
		return null;
	}
}

function origine(colonne) {
	if (colonne.origine === "utilisateur") return __("choisi par vous");
	if (colonne.origine === "modele") return __("d'après le modèle enregistré");
	if (colonne.origine === "contenu") return __("reconnu d'après les valeurs");
	if (colonne.origine === "synonyme") return __("reconnu d'après l'en-tête");
	return __("en-tête non reconnu : la colonne est recopiée dans le compte rendu");
}

function afficher_correspondance(frm, cibles, types) {
	const modes = (frappe.meta.get_docfield("Import Classeur Feuille", "mode").options || "").split("\n");
	const libelles = Object.fromEntries(cibles.map((c) => [c.cible, c.libelle]));
	const html = (frm.doc.feuilles || []).map((row) => html_feuille(row, cibles, types, modes)).join("");
	const corps = ajouter_section(
		frm,
		`<p class="text-muted small">${__(
			"La correspondance confirmée est enregistrée comme modèle au lancement de l'import, et reprise d'elle-même pour les classeurs qui ont les mêmes en-têtes. Vos changements sont enregistrés avec le formulaire (« Faire un essai » l'enregistre)."
		)}</p>${html}`,
		__("Correspondance des colonnes"),
		"ic-correspondance"
	);

	const ligne = (element) => {
		const cdn = $(element).closest("[data-feuille]").attr("data-feuille");
		return (frm.doc.feuilles || []).find((r) => r.name === cdn);
	};
	corps.on("change", "select[data-colonne]", function () {
		const row = ligne(this);
		const colonnes = lire_json(row.correspondance) || [];
		const colonne = colonnes.find((c) => String(c.index) === this.dataset.colonne);
		if (!colonne) return;
		Object.assign(colonne, {
			cible: this.value,
			libelle_cible: libelles[this.value],
			origine: "utilisateur",
		});
		$(this).closest("td").find(".ic-origine").text(origine(colonne));
		frappe.model.set_value(row.doctype, row.name, "correspondance", JSON.stringify(colonnes, null, 1));
	});
	corps.on("change", "[data-champ]", function () {
		const row = ligne(this);
		const champ = this.dataset.champ;
		if (champ === "importer") {
			frappe.model.set_value(row.doctype, row.name, "importer", this.checked ? 1 : 0);
		} else if (champ === "typologie") {
			const nouveau = this.value === NOUVEAU_TYPE;
			const bloc = $(this).closest("[data-feuille]").find("[data-bloc='nouveau']");
			bloc.prop("hidden", !nouveau);
			frappe.model.set_value(row.doctype, row.name, {
				typologie: nouveau ? "" : this.value,
				nouvelle_typologie: nouveau ? bloc.find("input").val() || row.nom_feuille : "",
			});
		} else {
			frappe.model.set_value(row.doctype, row.name, champ, this.value);
		}
	});
}

function html_feuille(row, cibles, types, modes) {
	const id = `ic-${row.name}`;
	const colonnes = lire_json(row.correspondance) || [];
	const options_types = types
		.map(
			(t) =>
				`<option value="${e(t.name)}" ${t.name === row.typologie ? "selected" : ""}>${e(
					t.nom
				)}</option>`
		)
		.join("");
	const inconnu =
		row.typologie && !types.some((t) => t.name === row.typologie)
			? `<option value="${e(row.typologie)}" selected>${e(row.typologie)}</option>`
			: "";
	const groupes = [
		["", null],
		["personne", __("La personne")],
		["accompagnement", __("L'accompagnement")],
	];
	const options_cibles = (choisie) =>
		groupes
			.map(([quoi, titre]) => {
				const options = cibles
					.filter((c) => c.quoi === quoi)
					.map(
						(c) =>
							`<option value="${e(c.cible)}" ${c.cible === choisie ? "selected" : ""}>${e(
								c.libelle
							)}</option>`
					)
					.join("");
				return titre ? `<optgroup label="${e(titre)}">${options}</optgroup>` : options;
			})
			.join("");
	const lignes = colonnes
		.map(
			(c) => `<tr>
				<th scope="row">${e(c.entete)}</th>
				<td>${
					(c.exemples || []).map((x) => `<div class="ic-exemple">${e(x)}</div>`).join("") ||
					`<span class="text-muted">${__("(vide)")}</span>`
				}</td>
				<td>
					<select class="form-control input-xs" data-colonne="${c.index}"
						aria-label="${e(__("Champ rempli par la colonne « {0} »", [c.entete]))}">${options_cibles(c.cible)}</select>
					<div class="small text-muted ic-origine">${e(origine(c))}</div>
				</td>
			</tr>`
		)
		.join("");
	const nouveau = !row.typologie;
	return `<section class="ic-feuille mb-5" data-feuille="${e(row.name)}" aria-labelledby="${id}-titre">
		<h4 id="${id}-titre" class="mb-2" style="font-size: var(--text-lg)">${e(
		__("Feuille « {0} »", [row.nom_feuille])
	)}
			<span class="text-muted font-weight-normal">— ${e(
				__("{0} lignes, en-tête à la ligne {1}", [row.lignes || 0, row.ligne_entete || "?"])
			)}</span></h4>
		${row.probleme ? `<p class="text-danger">${e(row.probleme)}</p>` : ""}
		${
			row.modele
				? `<p class="text-muted small">${e(
						__("Correspondance reprise du modèle enregistré pour ces en-têtes.")
				  )}</p>`
				: ""
		}
		<div class="form-row align-items-end">
			<div class="form-group col-md-2">
				<div class="checkbox"><label>
					<input type="checkbox" data-champ="importer" ${row.importer ? "checked" : ""} ${
		row.probleme ? "disabled" : ""
	}>
					${__("Importer cette feuille")}
				</label></div>
			</div>
			<div class="form-group col-md-4">
				<label class="control-label" for="${id}-type">${__(
		"Ses lignes deviennent des accompagnements de type"
	)}</label>
				<select id="${id}-type" class="form-control input-sm" data-champ="typologie">
					<optgroup label="${e(__("Types de la structure"))}">${inconnu}${options_types}</optgroup>
					<option value="${NOUVEAU_TYPE}" ${nouveau ? "selected" : ""}>${__("Nouveau type, créé à l'import…")}</option>
				</select>
			</div>
			<div class="form-group col-md-3" data-bloc="nouveau" ${nouveau ? "" : "hidden"}>
				<label class="control-label" for="${id}-nouveau">${__("Nom du nouveau type")}</label>
				<input id="${id}-nouveau" class="form-control input-sm" data-champ="nouvelle_typologie"
					value="${e(row.nouvelle_typologie || row.nom_feuille)}">
			</div>
			<div class="form-group col-md-3">
				<label class="control-label" for="${id}-mode">${__("Mode des accompagnements")}</label>
				<select id="${id}-mode" class="form-control input-sm" data-champ="mode">
					${modes
						.map(
							(m) =>
								`<option value="${e(m)}" ${m === row.mode ? "selected" : ""}>${e(
									__(m)
								)}</option>`
						)
						.join("")}
				</select>
			</div>
		</div>
		<table class="table table-sm table-bordered ic-colonnes">
			<caption class="sr-only">${e(__("Colonnes de la feuille « {0} »", [row.nom_feuille]))}</caption>
			<thead><tr>
				<th scope="col" style="width: 25%">${__("Colonne du classeur")}</th>
				<th scope="col" style="width: 35%">${__("Exemples de valeurs")}</th>
				<th scope="col">${__("Champ rempli")}</th>
			</tr></thead>
			<tbody>${lignes}</tbody>
		</table>
	</section>`;
}

// --- Report (dry run or import) ------------------------------------------------------------------

async function synthese_du_rapport(frm, essai) {
	const url = essai ? frm.doc.rapport_analyse : frm.doc.rapport;
	if (essai && frm.__synthese_recue) {
		// The dry run just returned it.
		frm.__syntheses = { [url]: frm.__synthese_recue };
		frm.__synthese_recue = null;
	}
	frm.__syntheses = frm.__syntheses || {};
	if (!frm.__syntheses[url]) {
		frm.__syntheses[url] = await frappe.xcall(API + "rapport", { name: frm.doc.name, essai });
	}
	return frm.__syntheses[url];
}

function afficher_rapport(frm, s, essai) {
	if (!s || !s.resume) return;
	const r = s.resume;
	const libelles = issues_au_pluriel();
	const comptes = [
		["imported", r.importees],
		["merged", r.fusionnees],
		["review", r.a_verifier],
		["rejected", r.rejetees],
	]
		.map(
			([issue, n]) => `<tr data-issue="${issue}">
				<th scope="row"><span class="indicator-pill ${COULEUR_ISSUE[issue]}">${libelles[issue]}</span></th>
				<td class="text-right">${n || 0}</td></tr>`
		)
		.join("");
	const deja = r.deja_importees
		? `<tr data-issue="deja"><th scope="row">${__(
				"Déjà importées (rien n'est recréé)"
		  )}</th><td class="text-right">${r.deja_importees}</td></tr>`
		: "";
	const types = Object.entries(r.accompagnements_par_typologie || {})
		.map(([type, n]) => `<li>${e(type)} : ${n}</li>`)
		.join("");
	const phrase = essai
		? __(
				"L'import créera {0} dossiers, complétera {1} dossiers existants et créera {2} accompagnements.",
				[r.personnes_creees || 0, r.personnes_existantes || 0, r.accompagnements || 0]
		  )
		: __("L'import a créé {0} dossiers, complété {1} dossiers existants et créé {2} accompagnements.", [
				r.personnes_creees || 0,
				r.personnes_existantes || 0,
				r.accompagnements || 0,
		  ]);

	const feuilles = (s.feuilles || [])
		.map((f) => {
			const n = (issue) => (f.issues || {})[issue] || 0;
			const notes = [
				f.probleme,
				...(f.avertissements || []),
				...(f.ignorees || []).map((x) => __("Ligne {0} ignorée : {1}", [x.ligne_feuille, x.raison])),
			]
				.filter(Boolean)
				.map(
					(t) =>
						`<div class="small ${t === f.probleme ? "text-danger" : "text-muted"}">${e(t)}</div>`
				)
				.join("");
			return `<tr data-feuille="${e(f.nom)}">
				<th scope="row">${e(f.nom)}${notes}</th>
				<td class="text-right">${f.lignes || 0}</td>
				<td class="text-right">${n("imported")}</td>
				<td class="text-right">${n("merged")}</td>
				<td class="text-right">${n("review")}</td>
				<td class="text-right">${n("rejected")}</td>
			</tr>`;
		})
		.join("");

	const html = `
		<div class="row">
			<div class="col-md-4">
				<table class="table table-sm ic-comptes">
					<caption class="sr-only">${__("Lignes du classeur par issue")}</caption>
					<thead><tr><th scope="col">${__("Issue")}</th><th scope="col" class="text-right">${__(
		"Lignes"
	)}</th></tr></thead>
					<tbody>${comptes}${deja}
						<tr data-issue="total"><th scope="row">${__("Total")}</th><td class="text-right">${r.lignes || 0}</td></tr>
					</tbody>
				</table>
			</div>
			<div class="col-md-8">
				<p class="ic-phrase">${phrase}</p>
				${types ? `<p class="mb-1">${__("Accompagnements par type :")}</p><ul class="ic-types">${types}</ul>` : ""}
			</div>
		</div>
		<table class="table table-sm table-bordered ic-par-feuille">
			<caption class="sr-only">${__("Lignes par feuille et par issue")}</caption>
			<thead><tr>
				<th scope="col">${__("Feuille")}</th><th scope="col" class="text-right">${__("Lignes")}</th>
				<th scope="col" class="text-right">${libelles.imported}</th><th scope="col" class="text-right">${
		libelles.merged
	}</th>
				<th scope="col" class="text-right">${libelles.review}</th><th scope="col" class="text-right">${
		libelles.rejected
	}</th>
			</tr></thead>
			<tbody>${feuilles}</tbody>
		</table>
		${essai ? html_referents(frm, s) + html_doublons(frm, s) : ""}
		<div class="ic-lignes-rapport"></div>`;
	const titre = essai ? __("Rapport de l'essai") : __("Rapport de l'import");
	const corps = ajouter_section(frm, html, titre, essai ? "ic-essai" : "ic-import");
	if (essai) brancher_decisions(frm, corps, s);
	afficher_lignes(frm, corps.find(".ic-lignes-rapport"), essai, r);
}

function html_referents(frm, s) {
	if (!(s.referents_inconnus || []).length) return "";
	return `<div class="ic-referents alert alert-warning">
		<h5 style="font-size: var(--text-base)">${__("Référents sans correspondance")}</h5>
		<p>${e(
			__(
				"Les accompagnements de ces référents iront à l'agent par défaut de l'import tant qu'ils ne sont pas associés à un agent de la structure : {0}.",
				[s.referents_inconnus.join(", ")]
			)
		)}</p>
		<button type="button" class="btn btn-sm btn-default" data-action="referents">${__(
			"Associer les référents à des agents"
		)}</button>
	</div>`;
}

// A case of the review list, or a decision, is named by its rows and the existing file it is about.
const cle_du_cas = (c) =>
	JSON.stringify([(c.lignes || []).map((l) => (Array.isArray(l) ? l : [l.feuille, l.ligne])), c.dossier || null]);

function html_doublons(frm, s) {
	const cas = s.a_verifier || [];
	const prises = s.decisions || [];
	if (!cas.length && !prises.length && !frm.doc.decisions) return "";
	const designation = (l) =>
		e(__("feuille {0}, ligne {1}", [l.feuille, l.ligne_feuille || l.ligne])) +
		(l.nom ? ` (<strong>${e(l.nom)}</strong>)` : "");
	const dossier = (c) =>
		`<a href="/app/beneficiaire/${encodeURIComponent(c.dossier)}">${e(c.dossier)}${
			c.nom_dossier ? " — " + e(c.nom_dossier) : ""
		}</a>`;
	const bouton = (decision, libelle) =>
		`<button type="button" class="btn btn-xs btn-default" data-decision="${decision}">${libelle}</button>`;
	const items = cas
		.map((c, i) => {
			if (c.dossier) {
				return `<li class="mb-2" data-cas="${i}">
					${e(__("Peut-être la personne du dossier existant"))} ${dossier(c)} :
					${c.lignes.map(designation).join(", ")} — ${e(c.raison)}.
					<div class="mt-1">
						${bouton("meme", __("C'est la personne de ce dossier"))}
						${bouton("distinctes", __("Ce n'est pas cette personne"))}
					</div></li>`;
			}
			return `<li class="mb-2" data-cas="${i}">
				${c.lignes.map(designation).join(__(" et "))} — ${e(c.raison)}.
				<div class="mt-1">
					${bouton("meme", __("Même personne"))}
					${bouton("distinctes", __("Personnes distinctes"))}
				</div></li>`;
		})
		.join("");
	const decrire = (d) => {
		const lignes = d.lignes.map(designation).join(__(" et "));
		if (d.dossier) {
			return d.decision === "meme"
				? __("{0} : la personne du dossier {1}", [lignes, dossier(d)])
				: __("{0} : pas la personne du dossier {1}", [lignes, dossier(d)]);
		}
		return d.decision === "meme"
			? __("{0} : même personne", [lignes])
			: __("{0} : personnes distinctes", [lignes]);
	};
	const liste_prises = prises
		.map(
			(d, i) => `<li class="mb-1" data-prise="${i}">
				${decrire(d)}${
				d.appliquee
					? ""
					: ` <span class="text-warning">${e(__("(ne s'applique pas : {0})", [d.pourquoi || ""]))}</span>`
			}
				<button type="button" class="btn btn-xs btn-default ml-2" data-action="annuler-decision">${__(
					"Annuler"
				)}</button></li>`
		)
		.join("");
	const decisions = frm.doc.decisions
		? `<h6 class="mt-3">${e(__("Décisions prises ({0})", [prises.length]))}</h6>
			<ul class="list-unstyled ic-decisions">${liste_prises}</ul>
			<p class="small"><button type="button" class="btn btn-xs btn-default" data-action="annuler-decisions">${__(
				"Annuler toutes mes décisions"
			)}</button></p>`
		: "";
	return `<div class="ic-doublons">
		<h5 style="font-size: var(--text-base)">${e(__("Doublons possibles à vérifier ({0})", [cas.length]))}</h5>
		<p class="small text-muted">${__(
			"Ces lignes ne sont pas réunies d'office. « Même personne » les réunit en un dossier ; « Personnes distinctes » fait de chacune une personne à part ; face à un dossier existant, dites si c'est cette personne ou non (sinon un nouveau dossier est créé). L'essai est refait aussitôt et l'import suit vos décisions. Sans décision, les lignes restent « à vérifier » : « Fusionner avec un autre dossier », sur le dossier, les réunira plus tard."
		)}</p>
		${
			items
				? `<ul class="list-unstyled">${items}</ul>`
				: `<p class="small">${__("Tous les doublons possibles sont décidés.")}</p>`
		}${decisions}</div>`;
}

function brancher_decisions(frm, corps, s) {
	const stockees = () => lire_json(frm.doc.decisions) || [];
	const enregistrer_decisions = async (decisions) => {
		await frm.set_value("decisions", decisions.length ? JSON.stringify(decisions, null, 1) : "");
		await essai(frm);
	};
	corps.on("click", "[data-decision]", async function () {
		const c = s.a_verifier[$(this).closest("[data-cas]").attr("data-cas")];
		const decision = { lignes: c.lignes.map((l) => [l.feuille, l.ligne]), decision: this.dataset.decision };
		if (c.dossier) decision.dossier = c.dossier;
		// A new decision on the same case replaces the previous one.
		const autres = stockees().filter((x) => cle_du_cas(x) !== cle_du_cas(decision));
		await enregistrer_decisions([...autres, decision]);
	});
	corps.on("click", "[data-action='annuler-decision']", async function () {
		const prise = s.decisions[$(this).closest("[data-prise]").attr("data-prise")];
		await enregistrer_decisions(stockees().filter((x) => cle_du_cas(x) !== cle_du_cas(prise)));
	});
	corps.on("click", "[data-action='annuler-decisions']", () => enregistrer_decisions([]));
	corps.on("click", "[data-action='referents']", () => associer_referents(frm, s.referents_inconnus));
}

function associer_referents(frm, codes) {
	const d = new frappe.ui.Dialog({
		title: __("Associer les référents du classeur à des agents de {0}", [frm.doc.structure]),
		fields: [
			{
				fieldtype: "HTML",
				options: `<p class="text-muted">${__(
					"Une seule fois pour la structure : ces correspondances servent à tous ses imports. Laissez vide un référent qui n'est plus dans l'équipe."
				)}</p>`,
			},
			...codes.map((code, i) => ({
				fieldname: `code_${i}`,
				fieldtype: "Link",
				options: "User",
				label: __("Agent pour « {0} »", [code]),
				get_query: () => ({
					query: "suivi_social.api.equipe.agents_query",
					filters: { structure: frm.doc.structure },
				}),
			})),
		],
		primary_action_label: __("Enregistrer et refaire l'essai"),
		async primary_action(valeurs) {
			const correspondances = Object.fromEntries(
				codes.map((code, i) => [code, valeurs[`code_${i}`] || ""])
			);
			await frappe.call({
				method: API + "referents",
				args: { name: frm.doc.name, correspondances },
				freeze: true,
			});
			d.hide();
			await essai(frm);
		},
	});
	nommer_les_champs(d);
	d.show();
}

function afficher_lignes(frm, zone, essai, resume) {
	const libelles = issues_au_pluriel();
	const etat = { issue: "", debut: 0 };
	const options = [
		["", __("Toutes les lignes ({0})", [resume.lignes || 0])],
		["imported", `${libelles.imported} (${resume.importees || 0})`],
		["merged", `${libelles.merged} (${resume.fusionnees || 0})`],
		["review", `${libelles.review} (${resume.a_verifier || 0})`],
		["rejected", `${libelles.rejected} (${resume.rejetees || 0})`],
	];
	const id = `ic-filtre-${essai ? "essai" : "import"}`;
	zone.html(`
		<h5 class="mt-4" style="font-size: var(--text-base)">${__("Lignes, une à une")}</h5>
		<div class="form-inline mb-2">
			<label class="mr-2" for="${id}">${__("Afficher")}</label>
			<select id="${id}" class="form-control input-sm" data-filtre>
				${options.map(([v, t]) => `<option value="${v}">${e(t)}</option>`).join("")}
			</select>
		</div>
		<table class="table table-sm table-bordered ic-lignes">
			<caption class="sr-only">${__("Lignes du rapport")}</caption>
			<thead><tr>
				<th scope="col">${__("Feuille")}</th><th scope="col">${__("Ligne")}</th><th scope="col">${__("Personne")}</th>
				<th scope="col">${__("Issue")}</th><th scope="col">${__("Dossier")}</th><th scope="col">${__("Raisons")}</th>
			</tr></thead>
			<tbody></tbody>
		</table>
		<div class="d-flex align-items-center ic-pages">
			<span class="mr-3 small" aria-live="polite" data-position></span>
			<button type="button" class="btn btn-xs btn-default mr-2" data-page="-1">${__("Lignes précédentes")}</button>
			<button type="button" class="btn btn-xs btn-default" data-page="1">${__("Lignes suivantes")}</button>
		</div>`);

	const charger = async () => {
		const { total, lignes } = await frappe.xcall(API + "lignes", {
			name: frm.doc.name,
			essai,
			issue: etat.issue || null,
			debut: etat.debut,
			nombre: PAR_PAGE,
		});
		zone.find("tbody").html(
			lignes
				.map(
					(l) => `<tr data-issue="${l.outcome}">
						<td>${e(l.sheet)}</td><td>${l.ligne_feuille}</td><td>${e(l.nom || "")}</td>
						<td><span class="indicator-pill ${COULEUR_ISSUE[l.outcome]}">${issue_d_une_ligne(l.outcome)}</span></td>
						<td>${lien_dossier(l)}</td>
						<td>${(l.reasons || []).map((x) => `<div>${e(x)}</div>`).join("")}</td>
					</tr>`
				)
				.join("") || `<tr><td colspan="6" class="text-muted">${__("Aucune ligne.")}</td></tr>`
		);
		zone.find("[data-position]").text(
			total
				? __("Lignes {0} à {1} sur {2}", [etat.debut + 1, etat.debut + lignes.length, total])
				: __("Aucune ligne")
		);
		zone.find("[data-page='-1']").prop("disabled", etat.debut === 0);
		zone.find("[data-page='1']").prop("disabled", etat.debut + PAR_PAGE >= total);
	};
	zone.on("change", "[data-filtre]", function () {
		etat.issue = this.value;
		etat.debut = 0;
		charger();
	});
	zone.on("click", "[data-page]", function () {
		etat.debut = Math.max(0, etat.debut + Number(this.dataset.page) * PAR_PAGE);
		charger();
	});
	charger();
}

function lien_dossier(ligne) {
	const nom = ligne.beneficiaire;
	if (!nom || ligne.outcome === "rejected") return "";
	if (nom.startsWith("nouveau-")) return `<span class="text-muted">${__("nouveau dossier")}</span>`;
	return `<a href="/app/beneficiaire/${encodeURIComponent(nom)}">${e(nom)}</a>`;
}

// --- Run and result -----------------------------------------------------------------------------

const TITRE_PROGRESSION = () => __("Avancement de l'import");

function montrer_progression(frm, pourcentage, message) {
	const titre = TITRE_PROGRESSION();
	const valeur = Math.max(0, Math.min(100, Math.round(pourcentage || 0)));
	frm.dashboard.show_progress(titre, valeur, `${valeur} % — ${message || ""}`);
	const bloc = (frm.dashboard._progress_map || {})[titre];
	if (bloc) {
		bloc.find(".progress").attr({
			role: "progressbar",
			"aria-valuemin": 0,
			"aria-valuemax": 100,
			"aria-valuenow": valeur,
			"aria-label": titre,
		});
		bloc.find(".progress-message").attr("aria-live", "polite");
	}
}

function progression_recue(frm, data) {
	if (data.statut === "Terminé" || data.statut === "Échec") {
		if (data.statut === "Terminé") montrer_progression(frm, 100, __("Terminé"));
		recharger_une_fois(frm);
		return;
	}
	if (frm.doc.statut !== "En cours") frm.doc.statut = "En cours";
	montrer_progression(frm, data.progression, data.message);
}

/** Realtime and the fallback poll may both see the end: reload once. */
function recharger_une_fois(frm) {
	arreter_le_suivi(frm);
	if (frm.__rechargement) return;
	frm.__rechargement = true;
	frm.reload_doc().finally(() => (frm.__rechargement = false));
}

/** The progress field, read every 2 s: realtime may be cut (proxy, sleeping laptop), or the job may
 * have ended before this page joined the document's room. */
function suivre(frm) {
	const nom = frm.doc.name;
	frm.__suivi = setInterval(async () => {
		if (window.cur_frm !== frm || frm.doc.name !== nom) return arreter_le_suivi(frm);
		const { message: v } = await frappe.db.get_value("Import Classeur", nom, [
			"statut",
			"progression",
			"message_progression",
		]);
		if (!v || frm.doc.name !== nom) return;
		if (EN_COURS.includes(v.statut)) montrer_progression(frm, v.progression, v.message_progression);
		else recharger_une_fois(frm);
	}, 2000);
}

function arreter_le_suivi(frm) {
	if (frm.__suivi) clearInterval(frm.__suivi);
	frm.__suivi = null;
}

function afficher_resultat(frm, synthese) {
	const d = frm.doc;
	const a_revoir = d.lignes_rejetees || d.lignes_a_verifier;
	frm.set_intro(
		__("Import terminé le {0}.", [frappe.datetime.str_to_user(d.date_fin)]) +
			(a_revoir
				? " " +
				  __(
						"{0} lignes importées sont à vérifier et {1} lignes ont été rejetées : le rapport ci-dessous dit pourquoi, ligne par ligne.",
						[d.lignes_a_verifier || 0, d.lignes_rejetees || 0]
				  )
				: ""),
		a_revoir ? "orange" : "green"
	);
	montrer_progression(frm, 100, __("Toutes les lignes ont été traitées."));
	const types = (d.resume_typologies || "")
		.split("\n")
		.filter(Boolean)
		.map((t) => `<li>${e(t)}</li>`)
		.join("");
	const chiffre = (libelle, valeur, cle) =>
		`<tr data-chiffre="${cle}"><th scope="row">${libelle}</th><td class="text-right">${
			valeur || 0
		}</td></tr>`;
	const rejets = d.fichier_rejets
		? `<p><a class="btn btn-sm btn-default ic-rejets" href="${encodeURI(d.fichier_rejets)}" download>
				${frappe.utils.icon("es-line-download", "sm")} ${__("Télécharger les lignes rejetées (Excel)")}</a>
			<span class="small text-muted ml-2">${__(
				"Chaque ligne porte son motif : corrigez-la dans ce fichier, puis importez-le."
			)}</span></p>`
		: "";
	ajouter_section(
		frm,
		`<div class="row">
			<div class="col-md-6">
				<table class="table table-sm ic-resultat">
					<caption class="sr-only">${__("Résultat de l'import")}</caption>
					<tbody>
						${chiffre(__("Dossiers créés"), d.personnes_creees, "personnes_creees")}
						${chiffre(__("Dossiers existants complétés"), d.personnes_existantes, "personnes_existantes")}
						${chiffre(__("Accompagnements créés"), d.accompagnements_crees, "accompagnements_crees")}
						${chiffre(__("Lignes importées à vérifier"), d.lignes_a_verifier, "lignes_a_verifier")}
						${chiffre(__("Lignes rejetées"), d.lignes_rejetees, "lignes_rejetees")}
						${
							d.lignes_deja_importees
								? chiffre(
										__("Lignes déjà importées"),
										d.lignes_deja_importees,
										"lignes_deja_importees"
								  )
								: ""
						}
					</tbody>
				</table>
			</div>
			<div class="col-md-6">
				${types ? `<p class="mb-1">${__("Accompagnements par type :")}</p><ul>${types}</ul>` : ""}
			</div>
		</div>${rejets}`,
		__("Résultat de l'import"),
		"ic-resultat"
	);
	afficher_rapport(frm, synthese, 0);
}

// --- Dashboard sections ---------------------------------------------------------------------------

/** A dashboard card; its own css class, so that collapsing one (remembered by Frappe per class)
 * does not collapse the others. Its title is reachable with the keyboard. */
function ajouter_section(frm, html, titre, classe) {
	const corps = frm.dashboard.add_section(html, titre, `custom ${classe}`);
	corps
		.siblings(".section-head")
		.attr({ role: "button", tabindex: 0 })
		.on("keydown", function (evenement) {
			if (evenement.key === "Enter" || evenement.key === " ") {
				evenement.preventDefault();
				$(this).trigger("click");
			}
		});
	frm.dashboard.show();
	return corps;
}

/** Frappe's control labels are not tied to their inputs: name them for screen readers. */
function nommer_les_champs(dialogue) {
	for (const champ of Object.values(dialogue.fields_dict)) {
		if (champ.$input && champ.df.label) champ.$input.attr("aria-label", champ.df.label);
	}
}
