// Accueil: find a person as you type (suivi_social.accueil.recherche), see where their file stands,
// and note a visit or a call, book an appointment or leave a message for the référent, without
// leaving the page. Keyboard first and readable by a screen reader: a labelled search box, a live
// region that announces the results, results reached with the arrow keys, buttons with text.

const API = "suivi_social.accueil.api.";
const DELAI_FRAPPE_MS = 250;

frappe.pages["accueil"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Accueil"), single_column: true });
	// The page's title is its first-level heading, each result's name a second-level one (RGAA 9.1).
	page.$title_area.find(".title-text").attr("aria-level", 1);
	wrapper.accueil = new Accueil(page);
};

frappe.pages["accueil"].on_page_show = function (wrapper) {
	if (wrapper.accueil) wrapper.accueil.revenir();
};

const e = (texte) => frappe.utils.escape_html(texte === null || texte === undefined ? "" : String(texte));
const date_fr = (date) => (date ? frappe.datetime.str_to_user(date) : "");
const heure_fr = (heure) => (heure ? String(heure).slice(0, 5).replace(/^(\d):/, "0$1:") : "");
// A hidden complement for screen readers: « Noter un passage » is said « … pour DUPONT Marie ».
const pour_lecteur = (texte) => `<span class="sr-only">${e(texte)}</span>`;

class Accueil {
	constructor(page) {
		this.page = page;
		this.numero = 0;
		this.resultats = [];
		this.$ = $(`
			<div class="accueil">
				<form class="accueil-recherche" role="search" autocomplete="off">
					<label for="accueil-texte" class="accueil-libelle">${__("Rechercher une personne")}</label>
					<input id="accueil-texte" type="search" class="form-control accueil-texte" maxlength="200"
						spellcheck="false" aria-describedby="accueil-aide" aria-controls="accueil-resultats">
					<p id="accueil-aide" class="accueil-aide">${e(
						__(
							"Nom et prénom dans n'importe quel ordre, date de naissance (12/03/1952), téléphone ou numéro de dossier. Flèche bas pour parcourir les résultats, Entrée pour ouvrir le dossier ; sur un résultat : P pour noter un passage, A un appel, R un rendez-vous, M un message au référent."
						)
					)}</p>
					<div class="checkbox accueil-archives">
						<label>
							<input type="checkbox" id="accueil-archives">
							${__("Inclure les dossiers archivés et ceux des personnes décédées")}
						</label>
					</div>
				</form>
				<p id="accueil-annonce" class="accueil-annonce" role="status" aria-live="polite" aria-atomic="true"></p>
				<ol id="accueil-resultats" class="accueil-resultats" aria-label="${e(__("Dossiers trouvés"))}"></ol>
				<div class="accueil-creer" hidden></div>
			</div>`).appendTo(page.main);
		this.$texte = this.$.find("#accueil-texte");
		this.$archives = this.$.find("#accueil-archives");
		this.$annonce = this.$.find("#accueil-annonce");
		this.$liste = this.$.find("#accueil-resultats");
		this.$creer = this.$.find(".accueil-creer");
		this.brancher();
		this.revenir();
	}

	brancher() {
		this.chercher_bientot = frappe.utils.debounce(() => this.chercher(), DELAI_FRAPPE_MS);
		this.$.find("form").on("submit", (ev) => {
			ev.preventDefault();
			this.chercher().then(() => this.aller(0));
		});
		this.$texte.on("input", () => this.chercher_bientot());
		this.$archives.on("change", () => this.chercher());
		this.$texte.on("keydown", (ev) => {
			if (ev.key === "ArrowDown" && this.resultats.length) {
				ev.preventDefault();
				this.aller(0);
			}
		});
		this.$liste.on("keydown", ".accueil-resultat", (ev) => this.touche(ev));
		this.$liste.on("click", "button[data-action]", (ev) => {
			const $bouton = $(ev.currentTarget);
			this.agir($bouton.attr("data-action"), $bouton.closest(".accueil-resultat").index());
		});
		this.$creer.on("click", "button", () => this.creer_dossier());
	}

	revenir() {
		setTimeout(() => this.$texte.trigger("focus"), 0);
	}

	annoncer(texte) {
		this.$annonce.text(texte || "");
	}

	// `rafraichir`: search again even if the query did not change (after an action).
	chercher(rafraichir = false) {
		const texte = this.$texte.val().trim();
		const archives = this.$archives.is(":checked") ? 1 : 0;
		const cle = `${archives}|${texte}`;
		// Enter, then the debounced search of the same text: the results (and the focus) stay.
		if (cle === this.cle && !rafraichir) return this.en_cours || Promise.resolve();
		this.cle = cle;
		const numero = ++this.numero;
		if (!texte) {
			this.resultats = [];
			this.$liste.empty();
			this.$creer.prop("hidden", true);
			this.annoncer("");
			return Promise.resolve();
		}
		this.en_cours = frappe
			.xcall(API + "chercher", { texte, archives })
			.then((reponse) => {
				// A slower answer to an earlier query never replaces the latest one.
				if (numero === this.numero) this.afficher(texte, reponse, rafraichir);
			})
			.catch(() => {
				this.cle = null; // the same text may be tried again
			});
		return this.en_cours;
	}

	afficher(texte, { resultats, invite, nouveau_dossier }, rafraichir = false) {
		this.resultats = resultats;
		this.$liste.html(resultats.map((r, i) => this.resultat(r, i)).join(""));
		if (rafraichir) {
			// The results refreshed after an action: the live region keeps saying what the action did
			// (« Message laissé à … »), which a screen reader would otherwise never read.
		} else if (invite) {
			this.annoncer(invite);
		} else if (!resultats.length) {
			this.annoncer(__("Aucun dossier ne correspond à « {0} ».", [texte]));
		} else {
			this.annoncer(
				resultats.length === 1
					? __("1 dossier trouvé.")
					: __("{0} dossiers trouvés.", [resultats.length])
			);
		}
		this.proposer_creation(invite ? null : nouveau_dossier, resultats.length);
	}

	resultat(r, i) {
		const id = `accueil-resultat-${i}`;
		const etiquettes = [];
		if (r.decede) etiquettes.push(`<span class="indicator-pill red">${__("Décédé(e)")}</span>`);
		else if (r.archive) etiquettes.push(`<span class="indicator-pill gray">${__("Dossier archivé")}</span>`);
		else if (r.statut && r.statut !== "Actif")
			etiquettes.push(`<span class="indicator-pill orange">${e(__(r.statut))}</span>`);
		if (!r.exacte) etiquettes.push(`<span class="indicator-pill blue">${__("Orthographe proche")}</span>`);

		const identite = [];
		if (r.date_naissance) {
			identite.push(
				r.age !== null && r.age !== undefined
					? __("Né(e) le {0} ({1} ans)", [date_fr(r.date_naissance), r.age])
					: __("Né(e) le {0}", [date_fr(r.date_naissance)])
			);
		}
		if (r.commune) identite.push(e(r.commune));
		identite.push(__("Dossier {0}", [e(r.name)]));

		const details = [];
		if (r.referents !== undefined) {
			details.push([
				r.referents.length > 1 ? __("Référents") : __("Référent"),
				r.referents.length ? r.referents.map((a) => e(agent_texte(a))).join(" ; ") : __("Aucun référent"),
			]);
		}
		details.push([__("Prochain rendez-vous"), r.prochain_rendez_vous ? e(rendez_vous_texte(r.prochain_rendez_vous)) : __("Aucun")]);
		if (r.dernier_contact !== undefined) {
			details.push([__("Dernier contact"), r.dernier_contact ? e(date_fr(r.dernier_contact)) : __("Aucun")]);
		}
		details.push([
			__("Demandes en cours"),
			r.demandes.length
				? `<ul class="accueil-demandes">${r.demandes.map((d) => `<li>${e(demande_texte(d))}</li>`).join("")}</ul>`
				: __("Aucune"),
		]);

		const qui = pour_lecteur(" " + __("pour {0}", [r.nom_complet || r.name]));
		// The first result and its buttons are in the tab order; aller() moves it with the focus.
		const bouton = (action, libelle, touche) =>
			`<button type="button" class="btn btn-default btn-sm" data-action="${action}" tabindex="${i === 0 ? 0 : -1}"
				${touche ? `aria-keyshortcuts="${touche}"` : ""}>${e(libelle)}${qui}</button>`;
		const peut_noter = frappe.model.can_create("Accompagnement");
		const actions = [
			bouton("ouvrir", __("Ouvrir le dossier")),
			peut_noter ? bouton("passage", __("Noter un passage"), "P") : "",
			peut_noter ? bouton("appel", __("Noter un appel"), "A") : "",
			peut_noter ? bouton("rendez_vous", __("Prendre rendez-vous"), "R") : "",
			frappe.model.can_create("Rappel") ? bouton("message", __("Laisser un message au référent"), "M") : "",
		];
		return `
			<li class="accueil-resultat${r.archive || r.decede ? " accueil-resultat-clos" : ""}" id="${id}"
				tabindex="${i === 0 ? 0 : -1}" aria-labelledby="${id}-nom" aria-describedby="${id}-identite">
				<h2 class="accueil-nom" id="${id}-nom">${e(r.nom_complet || r.name)} ${etiquettes.join(" ")}</h2>
				<p class="accueil-identite" id="${id}-identite">${identite.join(" · ")}</p>
				<dl class="accueil-details">
					${details.map(([dt, dd]) => `<div><dt>${dt}</dt><dd>${dd}</dd></div>`).join("")}
				</dl>
				<div class="accueil-actions">${actions.join("")}</div>
			</li>`;
	}

	proposer_creation(valeurs, nombre) {
		if (!valeurs || !frappe.model.can_create("Beneficiaire")) {
			this.$creer.prop("hidden", true).empty();
			return;
		}
		this.nouveau_dossier = valeurs;
		const lignes = [
			[__("Nom"), valeurs.nom_usage],
			[__("Prénoms"), valeurs.prenoms],
			[__("Date de naissance"), valeurs.date_naissance && date_fr(valeurs.date_naissance)],
			[__("Téléphone"), valeurs.telephone],
		].filter(([, v]) => v);
		this.$creer
			.html(
				`<p>${
					nombre
						? __("La personne n'est pas dans la liste ?")
						: __("Personne ne correspond : vous pouvez créer son dossier.")
				}</p>
				${lignes.length ? `<p class="text-muted">${lignes.map(([l, v]) => `${l} : ${e(v)}`).join(" · ")}</p>` : ""}
				<button type="button" class="btn ${nombre ? "btn-default" : "btn-primary"} btn-sm">${__("Créer un dossier")}</button>`
			)
			.prop("hidden", false);
	}

	creer_dossier() {
		const { date_naissance, ...valeurs } = this.nouveau_dossier || {};
		// Frappe copies only Link, Data and Select values from the options (model/create_new.js):
		// a date has to be set on the new document itself. The form checks for duplicates on save.
		frappe.new_doc("Beneficiaire", valeurs, (doc) => {
			if (date_naissance) doc.date_naissance = date_naissance;
		});
	}

	// --- Keyboard -----------------------------------------------------------------------------

	$resultats() {
		return this.$liste.children(".accueil-resultat");
	}

	aller(i) {
		const $items = this.$resultats();
		if (!$items.length) return;
		i = Math.max(0, Math.min(i, $items.length - 1));
		// One tab stop in the list (roving tabindex): Tab leaves it, the arrows move within it.
		$items.attr("tabindex", -1).find("button").attr("tabindex", -1);
		const $item = $items.eq(i).attr("tabindex", 0);
		$item.find("button").attr("tabindex", 0);
		$item.trigger("focus");
	}

	touche(ev) {
		if (this.dialogue_ouvert) return;
		const $item = $(ev.currentTarget);
		const i = $item.index();
		const sur_le_resultat = ev.target === ev.currentTarget;
		const raccourcis = { p: "passage", a: "appel", r: "rendez_vous", m: "message" };
		if (ev.key === "ArrowDown") {
			ev.preventDefault();
			this.aller(i + 1);
		} else if (ev.key === "ArrowUp") {
			ev.preventDefault();
			if (i === 0) this.$texte.trigger("focus");
			else this.aller(i - 1);
		} else if (ev.key === "Home") {
			ev.preventDefault();
			this.aller(0);
		} else if (ev.key === "End") {
			ev.preventDefault();
			this.aller(this.resultats.length - 1);
		} else if (ev.key === "Escape") {
			ev.preventDefault();
			// Frappe's own Escape (frappe/ui/keyboard.js) would blur the search box again.
			ev.stopPropagation();
			this.$texte.trigger("focus").trigger("select");
		} else if (ev.key === "Enter" && sur_le_resultat) {
			ev.preventDefault();
			this.agir("ouvrir", i);
		} else if (sur_le_resultat && !ev.ctrlKey && !ev.metaKey && !ev.altKey && raccourcis[ev.key.toLowerCase()]) {
			const action = raccourcis[ev.key.toLowerCase()];
			if ($item.find(`button[data-action="${action}"]`).length) {
				ev.preventDefault();
				this.agir(action, i);
			}
		}
	}

	// --- Actions ------------------------------------------------------------------------------

	agir(action, i) {
		const r = this.resultats[i];
		if (!r) return;
		this.courant = i;
		if (action === "ouvrir") frappe.set_route("Form", "Beneficiaire", r.name);
		else if (action === "passage" || action === "appel") this.noter(r, action === "passage" ? "accueil" : "telephone");
		else if (action === "rendez_vous") this.rendez_vous(r);
		else if (action === "message") this.message(r);
	}

	apres(message) {
		frappe.show_alert({ message: e(message), indicator: "green" });
		this.annoncer(message);
		const i = this.courant || 0;
		this.chercher(true).then(() => this.aller(i));
	}

	champ_type(r) {
		const defaut = r.type_par_defaut;
		if (defaut) frappe.utils.add_link_title("Type Accompagnement", defaut.name, defaut.nom);
		return {
			fieldname: "type_accompagnement",
			fieldtype: "Link",
			options: "Type Accompagnement",
			label: __("Type d'accompagnement"),
			reqd: 1,
			default: defaut ? defaut.name : null,
			get_query: () => ({ filters: { structure: r.structure, actif: 1, aide_financiere: 0 } }),
		};
	}

	noter(r, mode) {
		const d = new frappe.ui.Dialog({
			title: mode === "accueil" ? __("Noter un passage") : __("Noter un appel"),
			fields: [
				{
					fieldtype: "HTML",
					options: `<p>${e(
						mode === "accueil"
							? __("Passage de {0} à l'accueil, maintenant.", [r.nom_complet])
							: __("Appel de {0}, maintenant.", [r.nom_complet])
					)}</p>`,
				},
				{
					fieldname: "mode",
					fieldtype: "Select",
					label: __("Mode"),
					options: [
						{ value: "accueil", label: __("Passage à l'accueil") },
						{ value: "telephone", label: __("Appel téléphonique") },
					],
					default: mode,
					reqd: 1,
				},
				this.champ_type(r),
				{ fieldname: "note", fieldtype: "Small Text", label: __("Note (facultative)") },
			],
			primary_action_label: __("Enregistrer"),
			primary_action: (v) =>
				frappe
					.xcall(API + "noter_passage", {
						beneficiaire: r.name,
						mode: v.mode,
						note: v.note || "",
						type_accompagnement: v.type_accompagnement,
					})
					.then(({ message }) => {
						d.hide();
						this.apres(message);
					}),
		});
		this.ouvrir_dialogue(d, "note");
	}

	rendez_vous(r) {
		const referent = (r.referents || [])[0];
		const agent = referent ? (referent.remplacant || referent).user : null;
		const d = new frappe.ui.Dialog({
			title: __("Prendre rendez-vous pour {0}", [e(r.nom_complet)]),
			fields: [
				{ fieldname: "date", fieldtype: "Date", label: __("Date"), reqd: 1 },
				{ fieldname: "heure", fieldtype: "Time", label: __("Heure"), reqd: 1 },
				{
					fieldname: "duree",
					fieldtype: "Int",
					label: __("Durée (minutes)"),
					description: __("Une heure si elle est laissée vide."),
				},
				{ fieldtype: "Column Break" },
				{
					fieldname: "agent",
					fieldtype: "Link",
					options: "User",
					label: __("Avec"),
					reqd: 1,
					default: agent,
					get_query: () => ({
						query: "suivi_social.api.equipe.agents_query",
						filters: { structure: r.structure },
					}),
				},
				{
					fieldname: "mode",
					fieldtype: "Select",
					label: __("Mode"),
					options: [
						"Accueil physique sur rendez-vous",
						"Entretien téléphonique",
						"Visite à domicile",
						"Rendez-vous extérieur",
						"Visioconférence",
					].map((m) => ({ value: m, label: __(m) })),
					default: "Accueil physique sur rendez-vous",
					reqd: 1,
				},
				{
					fieldname: "lieu",
					fieldtype: "Data",
					label: __("Lieu"),
					description: __("Laisser vide pour l'adresse de la structure."),
				},
				{ fieldtype: "Section Break" },
				this.champ_type(r),
				{ fieldname: "note", fieldtype: "Small Text", label: __("Objet (facultatif)") },
			],
			primary_action_label: __("Prendre le rendez-vous"),
			primary_action: (v) =>
				frappe
					.xcall(API + "prendre_rendez_vous", {
						beneficiaire: r.name,
						date: v.date,
						heure: v.heure,
						duree: v.duree || null,
						agent: v.agent,
						lieu: v.lieu || null,
						mode: v.mode,
						type_accompagnement: v.type_accompagnement,
						note: v.note || null,
					})
					.then(({ message }) => {
						d.hide();
						this.apres(message);
					}),
		});
		this.ouvrir_dialogue(d, "date");
	}

	message(r) {
		const referents = r.referents || [];
		const champs = [];
		if (referents.length > 1) {
			champs.push({
				fieldname: "destinataire",
				fieldtype: "Select",
				label: __("Pour"),
				options: referents.map((a) => ({ value: a.user, label: e(agent_texte(a)) })),
				default: referents[0].user,
				reqd: 1,
			});
		} else {
			const texte = referents.length
				? __("Le message sera remis à {0}.", [agent_texte(referents[0])])
				: __("Ce dossier n'a pas de référent : le message sera remis au responsable de la structure.");
			champs.push({ fieldtype: "HTML", options: `<p>${e(texte)}</p>` });
		}
		champs.push({ fieldname: "message", fieldtype: "Small Text", label: __("Message"), reqd: 1 });
		const d = new frappe.ui.Dialog({
			title: __("Laisser un message au référent de {0}", [e(r.nom_complet)]),
			fields: champs,
			primary_action_label: __("Envoyer le message"),
			primary_action: (v) =>
				frappe
					.xcall(API + "laisser_message", {
						beneficiaire: r.name,
						message: v.message,
						destinataire: v.destinataire || null,
					})
					.then(({ message }) => {
						d.hide();
						this.apres(message);
					}),
		});
		this.ouvrir_dialogue(d, "message");
	}

	ouvrir_dialogue(d, premier) {
		// Keys typed while the dialog opens are not shortcuts of the result behind it.
		this.dialogue_ouvert = true;
		// Back on the result the action came from when the dialog closes.
		d.onhide = () => {
			this.dialogue_ouvert = false;
			this.aller(this.courant || 0);
		};
		// Under the page's results (level 2), Frappe's h4 title would skip a level (RGAA 9.1).
		d.$wrapper.find(".modal-title").attr("aria-level", 2);
		// Called once the dialog is shown, after Frappe focused its first input: the field to type in.
		d.on_page_show = () => d.get_field(premier).$input.trigger("focus");
		d.show();
	}
}

function agent_texte(a) {
	if (a.absent && a.remplacant) return __("{0}, qui remplace {1} (absent·e)", [a.remplacant.nom, a.nom]);
	if (a.absent) return __("{0} (absent·e, personne ne le ou la remplace)", [a.nom]);
	return a.nom;
}

function rendez_vous_texte(rdv) {
	let texte = rdv.heure
		? __("{0} à {1}", [date_fr(rdv.date), heure_fr(rdv.heure)])
		: date_fr(rdv.date);
	if (rdv.date === frappe.datetime.get_today()) texte = __("Aujourd'hui, {0}", [texte]);
	if (rdv.agent) texte += " " + __("avec {0}", [agent_texte(rdv.agent)]);
	if (rdv.lieu) texte += " — " + __("lieu : {0}", [rdv.lieu]);
	else if (rdv.mode) texte += " — " + __(rdv.mode);
	return texte;
}

function demande_texte(d) {
	const parties = [(d.types || []).join(", ") || __("Accompagnement"), __(d.statut)];
	if (d.decision) parties.push(__("décision : {0}", [__(d.decision)]));
	if (d.montant_demande) parties.push(__("demandé : {0}", [format_currency(d.montant_demande, "EUR")]));
	if (d.montant_accorde) parties.push(__("accordé : {0}", [format_currency(d.montant_accorde, "EUR")]));
	if (d.date) parties.push(__("depuis le {0}", [date_fr(d.date)]));
	return parties.join(" — ");
}
