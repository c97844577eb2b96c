// What the desk shows agents, beyond words (those are in locale/fr.po).

// Frappe writes the time zone under every Datetime field (controls/datetime.js, set_description):
// « Europe/Paris » under « Prochain rendez-vous », though every agent works in the site's own time
// zone (users are created without one of their own, so they take the system's). Written only when
// the user's time zone differs from the system's: there it tells the agent how to read the hour.
(() => {
	const Datetime = frappe.ui.form.ControlDatetime;
	const set_description = Datetime.prototype.set_description;
	Datetime.prototype.set_description = function () {
		const fuseaux = frappe.boot.time_zone;
		if (fuseaux && fuseaux.user === fuseaux.system) {
			this.df.hide_timezone = 1;
		}
		return set_description.call(this);
	};
})();

// Link fields to User show the person's full name (install.afficher_le_nom_des_agents). A loaded
// document brings the names of the users it links to; a value no document brought (the « Agent »
// of a new Accompagnement, set to the user by default) is shown by its address until Frappe fetches
// its name, which a read-only field never does. The user's own name is known from the start.
(() => {
	const moi = frappe.boot.user && frappe.boot.user.name;
	const infos = moi && frappe.boot.user_info && frappe.boot.user_info[moi];
	if (infos && infos.fullname && infos.fullname !== moi) {
		frappe.utils.add_link_title("User", moi, infos.fullname);
	}
})();
