// Conservation des dossiers: what the retention would archive and anonymise (dry run), and the
// button that runs it for the structure after a confirmation (suivi_social.rgpd.conservation).

frappe.query_reports["Conservation des dossiers"] = {
	filters: [
		{
			fieldname: "structure",
			label: __("Structure"),
			fieldtype: "Link",
			options: "Structure",
			reqd: 1,
			default: frappe.defaults.get_user_default("Structure"),
		},
	],
	onload(report) {
		report.page.add_inner_button(__("Appliquer maintenant"), () => appliquer(report));
	},
};

function appliquer(report) {
	const structure = report.get_filter_value("structure");
	const lignes = report.data || [];
	const a_archiver = lignes.filter((l) => l.action === __("À archiver")).length;
	const a_anonymiser = lignes.filter((l) => l.action === __("À anonymiser")).length;
	if (!structure || !(a_archiver || a_anonymiser)) {
		frappe.msgprint(__("Aucun dossier à archiver ni à anonymiser."));
		return;
	}
	frappe.confirm(
		__(
			"Archiver {0} dossier(s) et anonymiser définitivement {1} dossier(s) de {2} ? L'anonymisation ne peut pas être annulée.",
			[a_archiver, a_anonymiser, frappe.utils.escape_html(structure)]
		),
		() =>
			frappe
				.call({
					method: "suivi_social.rgpd.conservation.lancer_conservation",
					type: "POST",
					args: { structure, a_archiver, a_anonymiser },
					freeze: true,
				})
				.then((r) => {
					const m = r.message;
					frappe.msgprint(
						__("{0} dossier(s) archivé(s), {1} anonymisé(s), {2} en échec.", [
							m.archives,
							m.anonymises,
							m.erreurs,
						])
					);
					report.refresh();
				})
	);
}
