"""Agents' sidebars show the app's workspaces only.

Frappe's own public workspaces (Users, Website, Tools, Integrations, Build…) have an empty
« Roles » table, which means « everyone whose roles read one DocType of the module »
(frappe/desk/desktop.py Workspace.is_permitted and get_allowed_modules): every agent of a CCAS saw
them, with links that lead to pages they may not open. Frappe's mechanism for this is the
workspace's own Roles table (Has Role rows), read by get_workspace_sidebar_items for every user:
these workspaces are given to the System Manager only. Chosen over blocking modules per user
(User.block_modules, Module Profile), which every new user, and every invitation, would have to
carry, and which would also hide those modules' DocTypes from the System Manager's own users.

Run at install and after every migrate (install.seed): Frappe re-imports a standard workspace from
its JSON when the file changes (an upgrade), with an empty Roles table again. A workspace whose
Roles table is not empty is left as it is: whoever set its roles (the app, or a System Manager in
the workspace's settings) decided who sees it.
"""

import frappe

# Who keeps Frappe's own workspaces. A Workspace Manager sees every workspace anyway.
ROLES_DES_ESPACES_FRAPPE = ("System Manager",)


def espaces_de_frappe() -> list[str]:
	"""Public workspaces of the other apps' modules (Frappe's: Core, Website, Automation,
	Integrations…); the app's own are those of the modules in modules.txt."""
	modules_de_l_application = frappe.get_module_list("suivi_social")
	return frappe.get_all(
		"Workspace",
		filters={"public": 1, "module": ("not in", modules_de_l_application), "for_user": ("in", ("", None))},
		pluck="name",
	)


def reserver_espaces_frappe() -> list[str]:
	"""Give Frappe's public workspaces that have no roles to the System Manager. Returns the
	workspaces changed (none on a second run)."""
	changes = []
	for espace in espaces_de_frappe():
		if frappe.db.exists("Has Role", {"parenttype": "Workspace", "parent": espace}):
			continue
		for idx, role in enumerate(ROLES_DES_ESPACES_FRAPPE, start=1):
			# The child rows are written directly, not through Workspace.save(): on a site in
			# developer mode, saving a standard public workspace exports it to Frappe's own JSON
			# file (workspace.py on_update), which must stay untouched.
			frappe.get_doc(
				{
					"doctype": "Has Role",
					"parenttype": "Workspace",
					"parentfield": "roles",
					"parent": espace,
					"role": role,
					"idx": idx,
				}
			).db_insert()
		frappe.clear_document_cache("Workspace", espace)
		changes.append(espace)
	if changes:
		# The sidebar is part of each user's cached boot information.
		frappe.cache.delete_key("bootinfo")
	return changes
