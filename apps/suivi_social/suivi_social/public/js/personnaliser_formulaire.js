// Customize Form for a Responsable de structure (suivi_social/personnalisation/): only the app's
// DocTypes are offered, and the System Manager's buttons (permissions, dropping columns) are not
// added. Frappe adds them once the chosen DocType is loaded, whenever that request returns: they
// are filtered where they are added rather than removed afterwards.
frappe.ui.form.on("Customize Form", {
	onload(frm) {
		if (frappe.user.has_role("System Manager")) return;
		frm.set_query("doc_type", () => ({
			query: "suivi_social.personnalisation.api.doctypes_personnalisables",
		}));
		const reserves = [__("Set Permissions"), __("Trim Table")];
		const ajouter = frm.add_custom_button.bind(frm);
		frm.add_custom_button = (label, ...suite) =>
			reserves.includes(label) ? null : ajouter(label, ...suite);
	},
});
