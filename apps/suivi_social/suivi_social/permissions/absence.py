"""An absence is recorded, changed or deleted by the absent agent themself, or by a Responsable of
its structure; every agent of the structure reads them (who is away, who covers: no reason is
recorded, continuite/doctype/absence). The structure criterion is applied by permissions.structure,
registered alongside this hook."""

import frappe

from suivi_social.permissions import structure
from suivi_social.roles import RESPONSABLE

LECTURE = {"read", "select", "report", "print"}


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""Can only deny (Frappe's has_permission hooks)."""
	user = user or frappe.session.user
	if ptype in LECTURE or structure.structures_of(user) is None:
		return None
	if doc.get("agent") == user:
		return None
	if (
		RESPONSABLE in frappe.get_roles(user)
		and doc.get("structure")
		and structure.may_access(doc.structure, user)
	):
		return None
	return False
