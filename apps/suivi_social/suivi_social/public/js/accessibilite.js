// Accessibility fixes of Frappe 15's desk that the app can make from outside (docs/accessibilite.md,
// checked by tests/navigateur/test_accessibilite.py): names for the fields, selects and icon
// buttons that a screen reader would announce without one, list rows in the natural tab order,
// the form tabs' roles, and a viewport that lets the user zoom.
//
// Frappe draws these elements in many places (controls, list view, sidebar, text editor toolbar)
// and offers no hook for them, so the fixes are applied to whatever the desk has drawn: after each
// batch of DOM changes, once per animation frame. Each fix only adds attributes that are missing.

(() => {
	// The desk's page (www/app.html) forbids zooming (user-scalable=no, maximum-scale=1.0):
	// RGAA 10.4 / WCAG 1.4.4 ask that text can be enlarged to 200 %.
	function permettre_le_zoom() {
		const meta = document.querySelector('meta[name="viewport"]');
		if (meta && /user-scalable=no|maximum-scale/.test(meta.content)) {
			meta.setAttribute("content", "width=device-width, initial-scale=1.0");
		}
	}

	// The desk has no main landmark: the page's content (#body, beside the navbar) is it (RGAA 12.6).
	function marquer_le_contenu_principal() {
		const contenu = document.getElementById("body");
		if (contenu && !contenu.hasAttribute("role")) contenu.setAttribute("role", "main");
	}

	const texte = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
	let numero = 0;
	const identifiant = (el) => el.id || (el.id = `suivi-a11y-${++numero}`);

	// A field's input, select or textarea: named by the control's visible label (aria-labelledby,
	// so that a label changed later is followed), else by its placeholder (the list's filters).
	function nommer_les_champs(racine) {
		for (const champ of racine.querySelectorAll(
			".frappe-control input:not([type=hidden]):not([aria-label]):not([aria-labelledby]), " +
				".frappe-control select:not([aria-label]):not([aria-labelledby]), " +
				".frappe-control textarea:not([aria-label]):not([aria-labelledby])"
		)) {
			if (champ.id && document.querySelector(`label[for="${CSS.escape(champ.id)}"]`)) continue;
			if (champ.closest("label")) continue;
			const controle = champ.closest(".frappe-control");
			const libelle = controle.querySelector(".control-label, .label-area");
			if (texte(libelle)) {
				champ.setAttribute("aria-labelledby", identifiant(libelle));
			} else {
				const nom =
					champ.getAttribute("placeholder") ||
					texte(controle.querySelector(".placeholder")) ||
					controle.getAttribute("data-original-title") ||
					controle.getAttribute("title");
				if (nom) champ.setAttribute("aria-label", nom);
			}
		}
	}

	// A mandatory field is marked by a red asterisk only (label.reqd): say it (RGAA 11.10). Kept in
	// step with the label at each pass, since a form script may make a field mandatory later.
	function signaler_les_champs_obligatoires(racine) {
		for (const libelle of racine.querySelectorAll(".frappe-control .control-label")) {
			const controle = libelle.closest(".frappe-control");
			const requis = libelle.classList.contains("reqd");
			for (const champ of controle.querySelectorAll("input:not([type=hidden]), select, textarea")) {
				if (champ.closest(".frappe-control") !== controle) continue; // a table's own rows
				if ((champ.getAttribute("aria-required") === "true") !== requis) {
					if (requis) champ.setAttribute("aria-required", "true");
					else champ.removeAttribute("aria-required");
				}
			}
		}
	}

	// The sliders of the date picker's time (air-datepicker), outside any control.
	function nommer_les_curseurs_d_heure(racine) {
		for (const curseur of racine.querySelectorAll(
			".datepicker--time input[type=range]:not([aria-label])"
		)) {
			curseur.setAttribute("aria-label", curseur.name === "hours" ? __("Heures") : __("Minutes"));
		}
	}

	// Icon buttons: their tooltip (Bootstrap moves `title` to data-original-title), else a French
	// name by their class.
	const NOMS_DES_BOUTONS = [
		[".btn-modal-close", () => __("Fermer")],
		[".add-assignment-btn", () => __("Assigner à")],
		[".add-attachment-btn", () => __("Joindre un fichier")],
		[".add-tags-btn", () => __("Ajouter une étiquette")],
		[".scroll-to-top", () => __("Revenir en haut de la page")],
		[".prev-doc", () => __("Document précédent")],
		[".next-doc", () => __("Document suivant")],
		[".restricted-button", () => __("Restrictions de droits d'accès sur cette liste")],
		[".btn-new[data-doctype]", (b) => __("Nouveau : {0}", [__(b.getAttribute("data-doctype"))])],
		[".ql-bold", () => __("Gras")],
		[".ql-italic", () => __("Italique")],
		[".ql-underline", () => __("Souligné")],
		[".ql-strike", () => __("Barré")],
		[".ql-clean", () => __("Effacer la mise en forme")],
		[".ql-blockquote", () => __("Citation")],
		[".ql-code-block", () => __("Bloc de code")],
		[".ql-direction", () => __("Sens du texte")],
		[".ql-link", () => __("Lien")],
		[".ql-image", () => __("Image")],
		[".ql-list[value=ordered]", () => __("Liste numérotée")],
		[".ql-list[value=bullet]", () => __("Liste à puces")],
		[".ql-list[value=check]", () => __("Liste de cases à cocher")],
		[".ql-indent[value='-1']", () => __("Diminuer le retrait")],
		[".ql-indent[value='+1']", () => __("Augmenter le retrait")],
		[".ql-table", () => __("Tableau")],
	];
	function nommer_les_boutons(racine) {
		for (const bouton of racine.querySelectorAll(
			"button:not([aria-label]):not([aria-labelledby]), [role=button]:not([aria-label]):not([aria-labelledby])"
		)) {
			if (texte(bouton)) continue;
			let nom = bouton.getAttribute("title") || bouton.getAttribute("data-original-title");
			if (!nom) {
				const trouve = NOMS_DES_BOUTONS.find(([selecteur]) => bouton.matches(selecteur));
				nom = trouve ? trouve[1](bouton) : "";
			}
			if (!nom && bouton.matches(".ql-picker-label")) {
				// The text editor's font, size, colour and alignment pickers.
				const picker = bouton.closest(".ql-picker");
				const sorte = [...picker.classList].find((c) => c.startsWith("ql-") && c !== "ql-picker");
				nom =
					{
						"ql-header": __("Titre"),
						"ql-font": __("Police"),
						"ql-size": __("Taille du texte"),
						"ql-color": __("Couleur du texte"),
						"ql-background": __("Couleur de fond"),
						"ql-align": __("Alignement"),
					}[sorte] || __("Mise en forme");
			}
			if (nom) bouton.setAttribute("aria-label", nom);
		}
	}

	function corriger_les_listes(racine) {
		// tabindex="1" puts every row before the rest of the page in the tab order (WCAG 2.4.3).
		for (const ligne of racine.querySelectorAll(".list-row-container[tabindex='1']")) {
			ligne.setAttribute("tabindex", "0");
		}
		for (const case_ of racine.querySelectorAll(".list-check-all:not([aria-label])")) {
			case_.setAttribute("aria-label", __("Tout sélectionner"));
		}
		for (const case_ of racine.querySelectorAll(".list-row-checkbox:not([aria-label])")) {
			const sujet = case_
				.closest(".list-row")
				?.querySelector(".list-subject a[title], .list-subject a");
			const nom = (sujet && (sujet.getAttribute("title") || texte(sujet))) || case_.dataset.name;
			case_.setAttribute("aria-label", __("Sélectionner {0}", [nom]));
		}
	}

	// The tabs of a form: <li> between role=tablist and role=tab breaks the pattern for assistive
	// technologies; a presentation role removes it from the tree.
	function corriger_les_onglets(racine) {
		for (const li of racine.querySelectorAll("[role=tablist] > li:not([role])")) {
			li.setAttribute("role", "presentation");
		}
	}

	// Frappe's sidebars (form_sidebar.html, list_sidebar.html) put <div>, <a> and <li> in any order
	// under a <ul>: announced as a list with a wrong count of items (RGAA 9.3). Their entries are
	// links and buttons, not a list: the list semantics are removed, nested real lists kept.
	function corriger_les_barres_laterales(racine) {
		for (const ul of racine.querySelectorAll("ul.sidebar-menu:not([role])")) {
			if ([...ul.children].some((e) => e.tagName !== "LI")) ul.setAttribute("role", "none");
		}
		for (const li of racine.querySelectorAll("ul.sidebar-menu[role=none] li:not([role])")) {
			if (li.parentElement.closest("ul, ol").matches("ul.sidebar-menu[role=none]")) {
				li.setAttribute("role", "none");
			}
		}
	}

	// Dialogs (frappe.ui.Dialog) are named by their title.
	function nommer_les_dialogues(racine) {
		for (const boite of racine.querySelectorAll(
			".modal[role=dialog]:not([aria-labelledby]):not([aria-label])"
		)) {
			const titre = boite.querySelector(".modal-title");
			if (titre) boite.setAttribute("aria-labelledby", identifiant(titre));
		}
	}

	// The live region of Frappe's autocomplete (Awesomplete, in every Link field and the search bar)
	// speaks to screen readers in English, hard-coded: « Begin typing for results. », « 3 results
	// found », « …, list item 1 of 3 ». Its methods are wrapped so that the French is set in the
	// same instant as the English would have been (a later fix would be announced twice).
	const FRANCAIS_DE_L_AUTOCOMPLETION = [
		[/^Type (\d+) or more characters for results\.$/, (n) => __("Saisissez au moins {0} caractères pour voir les résultats.", [n])],
		[/^Begin typing for results\.$/, () => __("Commencez à saisir pour voir les résultats.")],
		[/^No results found$/, () => __("Aucun résultat")],
		[/^1 results found$/, () => __("1 résultat")],
		[/^(\d+) results found$/, (n) => __("{0} résultats", [n])],
		[/^([\s\S]*), list item (\d+) of (\d+)$/, (texte, i, n) => __("{0}, élément {1} sur {2}", [texte, i, n])],
	];
	function statut_en_francais(statut) {
		if (!statut) return;
		const anglais = statut.textContent;
		for (const [motif, francais] of FRANCAIS_DE_L_AUTOCOMPLETION) {
			const trouve = anglais.match(motif);
			if (trouve) {
				statut.textContent = francais(...trouve.slice(1));
				return;
			}
		}
	}
	function traduire_l_autocompletion(racine) {
		const Awesomplete = window.Awesomplete;
		if (Awesomplete && !Awesomplete.prototype.__suivi_francais) {
			for (const methode of ["evaluate", "goto"]) {
				const origine = Awesomplete.prototype[methode];
				Awesomplete.prototype[methode] = function (...args) {
					const resultat = origine.apply(this, args);
					statut_en_francais(this.status);
					return resultat;
				};
			}
			Awesomplete.prototype.__suivi_francais = true;
		}
		// The first message, written by the constructor.
		for (const statut of racine.querySelectorAll(".awesomplete > span[role=status]")) {
			statut_en_francais(statut);
		}
	}

	function corriger(racine = document) {
		permettre_le_zoom();
		traduire_l_autocompletion(racine);
		marquer_le_contenu_principal();
		nommer_les_champs(racine);
		signaler_les_champs_obligatoires(racine);
		nommer_les_curseurs_d_heure(racine);
		nommer_les_boutons(racine);
		corriger_les_listes(racine);
		corriger_les_onglets(racine);
		nommer_les_dialogues(racine);
		corriger_les_barres_laterales(racine);
	}

	let prevu = false;
	const observateur = new MutationObserver(() => {
		if (prevu) return;
		prevu = true;
		requestAnimationFrame(() => {
			prevu = false;
			corriger();
		});
	});
	const demarrer = () => {
		corriger();
		observateur.observe(document.body, { childList: true, subtree: true });
	};
	if (document.body) demarrer();
	else document.addEventListener("DOMContentLoaded", demarrer);
})();
