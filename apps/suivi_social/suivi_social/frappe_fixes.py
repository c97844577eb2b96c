"""Fixes to Frappe 15.44.2 itself that no hook can express. Each one names the bug it closes and
has a regression test; drop it once the pinned Frappe tag carries the fix.

1. DatabaseQuery.apply_fieldlevel_read_permissions removes fields from `self.fields` while
   enumerating it, so the column right after each removed one is skipped: asking for two
   consecutive permlevel-1 columns (get_list, /api/resource, Report Builder) returned the second
   one to a user without that permlevel (tests/securite/test_accueil_confidentiel.py)."""

from frappe.model.db_query import DatabaseQuery

_original = DatabaseQuery.apply_fieldlevel_read_permissions


def _apply_fieldlevel_read_permissions(self):
	# Each pass removes at least the first forbidden column left: repeat until nothing changes.
	while True:
		before = list(self.fields)
		_original(self)
		if self.fields == before:
			return


def apply() -> None:
	if DatabaseQuery.apply_fieldlevel_read_permissions is not _apply_fieldlevel_read_permissions:
		DatabaseQuery.apply_fieldlevel_read_permissions = _apply_fieldlevel_read_permissions


apply()
