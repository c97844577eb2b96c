"""Factories for test data: real users with real roles, structures, files."""

import frappe


def make_user(email: str, *roles: str, structures: tuple[str, ...] = ()) -> str:
	"""A desk user with exactly these roles, restricted to these structures (User Permission)."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
				"language": "fr",
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.set("roles", [])
	user.append_roles(*roles)
	user.flags.ignore_permissions = True
	user.save()
	for structure in structures:
		if not frappe.db.exists(
			"User Permission", {"user": email, "allow": "Structure", "for_value": structure}
		):
			frappe.get_doc(
				{"doctype": "User Permission", "user": email, "allow": "Structure", "for_value": structure}
			).insert(ignore_permissions=True)
	return email
