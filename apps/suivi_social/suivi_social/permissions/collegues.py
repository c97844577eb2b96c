"""Colleagues: the users who share one of a user's structures (their Structure User Permissions).

Records that carry no structure but belong to a person (a saved report, an Access Log entry) are
visible to that person's colleagues: this module gives the criterion, as an SQL condition on the
column that names the person, and as a check on one person."""

import frappe

from suivi_social.permissions.structure import structures_of


def condition_collegues(column: str, user: str | None = None) -> str:
	"""SQL condition: `column` names a user who shares one of `user`'s structures.

	"" for a user who sees every structure; "1=0" for a user of no structure."""
	structures = structures_of(user)
	if structures is None:
		return ""
	if not structures:
		return "1=0"
	valeurs = ", ".join(frappe.db.escape(s) for s in structures)
	return (
		f"{column} in (select `tabUser Permission`.`user` from `tabUser Permission` "
		f"where `tabUser Permission`.`allow` = 'Structure' and `tabUser Permission`.`for_value` in ({valeurs}))"
	)


def sont_collegues(autre: str | None, user: str | None = None) -> bool:
	"""True when `autre` shares one of `user`'s structures, or when `user` sees every structure."""
	structures = structures_of(user)
	if structures is None:
		return True
	return bool(
		autre
		and structures
		and frappe.db.exists(
			"User Permission", {"user": autre, "allow": "Structure", "for_value": ("in", structures)}
		)
	)
