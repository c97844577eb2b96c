// Rappels: the late ones stand out; a « Mes rappels » menu sets the list's filters to the user's
// rappels of today, late or of the week — the very filters of the workspace's cards, computed by
// the server (suivi_social.dossiers.rappels), so that the list and the cards always agree.

const PERIODES_DE_MES_RAPPELS = [
	["du_jour", __("Aujourd'hui")],
	["en_retard", __("En retard")],
	["de_la_semaine", __("Cette semaine")],
];

frappe.listview_settings["Rappel"] = {
	add_fields: ["statut", "date_echeance"],

	get_indicator(doc) {
		if (doc.statut === "À faire") {
			const aujourdhui = frappe.datetime.get_today();
			if (doc.date_echeance < aujourdhui) {
				return [__("En retard"), "red", `statut,=,À faire|date_echeance,<,${aujourdhui}`];
			}
			if (doc.date_echeance === aujourdhui) {
				return [__("Aujourd'hui"), "orange", `statut,=,À faire|date_echeance,=,${aujourdhui}`];
			}
			return [__("À faire"), "blue", "statut,=,À faire"];
		}
		return [__(doc.statut), doc.statut === "Fait" ? "green" : "gray", `statut,=,${doc.statut}`];
	},

	onload(listview) {
		for (const [periode, label] of PERIODES_DE_MES_RAPPELS) {
			listview.page.add_inner_button(
				label,
				() => afficher_mes_rappels(listview, periode),
				__("Mes rappels")
			);
		}
	},
};

function afficher_mes_rappels(listview, periode) {
	frappe
		.call({
			method: "suivi_social.dossiers.rappels.filtres_de_mes_rappels",
			args: { periode },
			type: "GET",
		})
		.then(({ message }) => {
			const filtres = Object.entries(message).map(([champ, valeur]) =>
				Array.isArray(valeur)
					? ["Rappel", champ, valeur[0], valeur[1]]
					: ["Rappel", champ, "=", valeur]
			);
			return listview.filter_area.clear(false).then(() => listview.filter_area.set(filtres));
		});
}
