"""Fixes to Frappe 15.44.2 itself that no hook can express. Each one names the bug it closes and
has a regression test; drop it once the pinned Frappe tag carries the fix.

1. DatabaseQuery.apply_fieldlevel_read_permissions removes fields from `self.fields` while
   enumerating it, so the column right after each removed one is skipped: asking for two
   consecutive permlevel-1 columns (get_list, /api/resource, Report Builder) returned the second
   one to a user without that permlevel (tests/securite/test_accueil_confidentiel.py).

2. Filters on fields the user may not read are accepted (FRAPPE-NOTES §2.4), which makes them an
   oracle: the Agent d'accueil could list the aids "montant_demande > 500" without seeing any
   amount. A permission-checked query now refuses such a filter."""

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery
from frappe.utils.data import get_filter

_original = DatabaseQuery.apply_fieldlevel_read_permissions


def _apply_fieldlevel_read_permissions(self):
	# Each pass removes at least the first forbidden column left: repeat until nothing changes.
	while True:
		before = list(self.fields)
		_original(self)
		if self.fields == before:
			return


_original_prepare_filter_condition = DatabaseQuery.prepare_filter_condition


def _prepare_filter_condition(self, f):
	if not self.flags.ignore_permissions:
		refuser_filtre_confidentiel(self, get_filter(self.doctype, f))
	return _original_prepare_filter_condition(self, f)


def refuser_filtre_confidentiel(query: DatabaseQuery, f) -> None:
	meta = frappe.get_meta(f.doctype)
	df = meta.get_field(f.fieldname)
	if not df or not df.permlevel:
		return
	parenttype = query.doctype if meta.istable else None
	levels = frappe.get_meta(parenttype or f.doctype).get_permlevel_access("read", user=query.user)
	if df.permlevel not in levels:
		frappe.throw(
			_("Filtre refusé : vous n'avez pas accès au champ « {0} ».").format(_(df.label)),
			frappe.PermissionError,
		)


def apply() -> None:
	if DatabaseQuery.apply_fieldlevel_read_permissions is not _apply_fieldlevel_read_permissions:
		DatabaseQuery.apply_fieldlevel_read_permissions = _apply_fieldlevel_read_permissions
	if DatabaseQuery.prepare_filter_condition is not _prepare_filter_condition:
		DatabaseQuery.prepare_filter_condition = _prepare_filter_condition


apply()
