// Rapport d'activité annuel: a year of a structure, on screen (Frappe charts and tables), and its
// PDF and Excel workbook (statistiques/rapport_annuel.py builds all three from the same figures).

const METHODE = "suivi_social.statistiques.rapport_annuel";

frappe.pages["rapport-activite"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Rapport d'activité annuel"),
		single_column: true,
	});
	wrapper.rapport = new RapportActivite(page);
};

class RapportActivite {
	constructor(page) {
		this.page = page;
		this.$corps = $('<div class="rapport-activite"></div>').appendTo(page.main);
		page.set_primary_action(__("Télécharger le PDF"), () => this.telecharger("telecharger_pdf"), "file");
		page.set_secondary_action(__("Télécharger le classeur Excel"), () =>
			this.telecharger("telecharger_excel")
		);
		frappe.call(`${METHODE}.parametres`).then(({ message }) => this.installer(message));
	}

	installer({ structures, structure, annees, annee }) {
		this.annee = this.page.add_field({
			fieldname: "annee",
			label: __("Année"),
			fieldtype: "Select",
			options: annees.map(String),
			default: String(annee),
			change: () => this.charger(),
		});
		this.structure = this.page.add_field({
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Select",
			options: structures,
			default: structures.includes(structure) ? structure : structures[0],
			change: () => this.charger(),
		});
		if (!structures.length) {
			this.$corps.html(`<p class="text-muted">${__("Aucune structure ne vous est rattachée.")}</p>`);
			return;
		}
		this.charger();
	}

	parametres() {
		return { annee: this.annee.get_value(), structure: this.structure.get_value() };
	}

	charger() {
		const args = this.parametres();
		if (!args.annee || !args.structure) return;
		// Once per year and structure: setting a field's default also fires its change, and a page
		// redrawn while its charts are being drawn makes frappe-charts fail.
		const cle = `${args.annee}|${args.structure}`;
		if (cle === this.cle) return;
		this.cle = cle;
		this.$corps.html(`<p class="text-muted">${__("Calcul en cours…")}</p>`);
		frappe.call({ method: `${METHODE}.rapport_annuel`, args }).then(({ message }) => {
			if (this.cle === cle) this.afficher(message);
		});
	}

	telecharger(methode) {
		const args = this.parametres();
		if (!args.annee || !args.structure) return;
		open_url_post(`/api/method/${METHODE}.${methode}`, args);
	}

	afficher(d) {
		this.page.set_title(d.titre);
		const echapper = frappe.utils.escape_html;
		const chiffres = d.chiffres
			.map(
				(c) => `<div class="col-sm-3 col-6 mb-3"><div class="rapport-chiffre">
					<div class="rapport-chiffre-valeur">${echapper(c.texte)}</div>
					<div class="text-muted small">${echapper(c.libelle)}</div></div></div>`
			)
			.join("");
		this.$corps.html(`
			<style>
				.rapport-activite { padding: var(--padding-md) 0; }
				.rapport-chiffre { background: var(--subtle-fg); border-radius: var(--border-radius-md); padding: var(--padding-md); height: 100%; }
				.rapport-chiffre-valeur { font-size: var(--text-2xl); font-weight: 600; color: var(--text-color); }
				.rapport-section { margin-top: var(--margin-xl); }
				.rapport-section table td.nombre, .rapport-section table th.nombre { text-align: right; }
				.rapport-section tr.total td { font-weight: 600; }
			</style>
			<p class="text-muted">${echapper(
				__("Activité {0} · produit le {1} · chiffres anonymes", [d.periode, d.genere_le])
			)}</p>
			<div class="row">${chiffres}</div>
			<div class="rapport-sections"></div>`);
		const $sections = this.$corps.find(".rapport-sections");
		// Charts drawn once their section is in the page: frappe-charts measures its container.
		d.sections.forEach((s) => this.graphique(this.section(s).appendTo($sections), s));
	}

	section(s) {
		const echapper = frappe.utils.escape_html;
		const cellule = (c, valeur, balise = "td") =>
			`<${balise} class="${c.type === "Data" ? "" : "nombre"}">${
				balise === "th" ? echapper(valeur) : this.formater(valeur, c.type)
			}</${balise}>`;
		const lignes = s.lignes
			.map((l) => `<tr>${s.colonnes.map((c) => cellule(c, l[c.cle])).join("")}</tr>`)
			.join("");
		const total = s.total
			? `<tr class="total">${s.colonnes.map((c) => cellule(c, s.total[c.cle])).join("")}</tr>`
			: "";
		const $s = $(`<div class="rapport-section" data-section="${echapper(s.cle)}">
			<h4>${echapper(s.titre)}</h4>
			<div class="rapport-graphique"></div>
			<table class="table table-bordered table-sm">
				<thead><tr>${s.colonnes.map((c) => cellule(c, c.libelle, "th")).join("")}</tr></thead>
				<tbody>${lignes}${total}</tbody>
			</table>
			${s.note ? `<p class="text-muted small">${echapper(s.note)}</p>` : ""}
		</div>`);
		return $s;
	}

	graphique($s, s) {
		if (!s.graphique || !s.lignes.length) return;
		const libelles = Object.fromEntries(s.colonnes.map((c) => [c.cle, c.libelle]));
		new frappe.Chart($s.find(".rapport-graphique")[0], {
			type: "bar",
			height: 240,
			data: {
				labels: s.graphique.etiquettes,
				datasets: s.graphique.series.map((cle) => ({
					name: libelles[cle],
					values: s.lignes.map((l) => l[cle] || 0),
				})),
			},
			colors: ["#2490ef", "#29cd42"],
			// No animation: a redraw (window resized, printed) never meets one half done.
			animate: false,
			disableEntryAnimation: true,
			barOptions: { spaceRatio: 0.4 },
			axisOptions: { xIsSeries: s.graphique.type === "barres" },
		});
	}

	formater(valeur, type) {
		if (valeur === null || valeur === undefined) return "–";
		if (type === "Percent") return `${format_number(valeur, null, 1)} %`;
		if (type === "Data") return frappe.utils.escape_html(String(valeur));
		return frappe.format(valeur, { fieldtype: type }, { inline: true });
	}
}
