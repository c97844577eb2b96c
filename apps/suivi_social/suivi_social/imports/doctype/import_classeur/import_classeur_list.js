// Imports of a structure's old workbooks: their state at a glance.

frappe.listview_settings["Import Classeur"] = {
	add_fields: ["statut"],
	get_indicator(doc) {
		const couleurs = {
			Brouillon: "gray",
			Analysé: "blue",
			"En attente": "orange",
			"En cours": "orange",
			Terminé: "green",
			Échec: "red",
		};
		return [__(doc.statut), couleurs[doc.statut] || "gray", `statut,=,${doc.statut}`];
	},
};
