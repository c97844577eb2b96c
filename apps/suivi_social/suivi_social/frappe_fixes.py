"""Fixes to Frappe 15.44.2 itself that no hook can express. Each one names the bug it closes and
has a regression test; drop it once the pinned Frappe tag carries the fix.

1. DatabaseQuery.apply_fieldlevel_read_permissions removes fields from `self.fields` while
   enumerating it, so the column right after each removed one is skipped: asking for two
   consecutive permlevel-1 columns (get_list, /api/resource, Report Builder) returned the second
   one to a user without that permlevel (tests/securite/test_accueil_confidentiel.py).

2. Filters on fields the user may not read are accepted (FRAPPE-NOTES §2.4), which makes them an
   oracle: the Agent d'accueil could list the aids "montant_demande > 500" without seeing any
   amount. A permission-checked query now refuses such a filter.

3. A whitelisted method called without one of its required arguments answers HTTP 500 with a
   Python TypeError ("doublons_probables() missing 1 required positional argument"), and one
   called with a value of the wrong type answers Frappe's English FrappeTypeError. Both become a
   French message naming the argument, with HTTP 417, for every whitelisted method of the site
   (`frappe.call` is where handler.execute_cmd and api.v2 both dispatch).

4. search_link and search_widget take `ignore_user_permissions` straight from the request and
   then skip every check, permission hooks included (frappe#34995): a user of one structure read
   other structures' File, ToDo, Notification Log and Communication rows. A client never decides
   to skip permissions: the flag is removed from every request before dispatch (`nettoyer_requete`,
   a before_request hook), whatever the method or the DocType (Frappe already drops
   `ignore_permissions` in frappe.get_newargs). Code that needs it passes it itself.

Each fix checks the Frappe version it was written for (FRAPPE_VERSION_VERIFIEE): on another
version the app refuses to start until the security suite has been re-run (README, « Changer de
version de Frappe »)."""

import inspect
import re

import frappe
from frappe import _
from frappe.exceptions import FrappeTypeError
from frappe.model.db_query import DatabaseQuery
from frappe.utils.data import get_filter

# The Frappe release these fixes and suivi_social/overrides.py were written and tested against.
FRAPPE_VERSION_VERIFIEE = "15.44.2"

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


class ParametreInvalide(frappe.ValidationError):
	"""A whitelisted method was called without a required argument, or with a value of a wrong type."""


_original_call = frappe.call


def _call(fn, *args, **kwargs):
	if isinstance(fn, str):
		fn = frappe.get_attr(fn)
	if not (getattr(frappe.local, "request", None) and fn in frappe.whitelisted):
		return _original_call(fn, *args, **kwargs)
	verifier_arguments(fn, args, kwargs)
	try:
		return _original_call(fn, *args, **kwargs)
	except FrappeTypeError as error:
		# Only Frappe's argument validation raises it: "Argument 'x' should be of type 'T' but got…"
		match = re.match(r"Argument '(\w+)' should be of type '([^']+)'", str(error))
		if not match:
			raise
	# Outside the except block, so that the English message is not chained into the response.
	frappe.throw(
		_("Paramètre « {0} » : valeur invalide (type attendu : {1}).").format(*match.groups()),
		ParametreInvalide,
		title=_("Requête invalide"),
	)


def verifier_arguments(fn, args: tuple, kwargs: dict) -> None:
	missing = [
		name
		for i, (name, param) in enumerate(inspect.signature(fn).parameters.items())
		if param.default is inspect.Parameter.empty
		and param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY)
		and i >= len(args)
		and name not in kwargs
	]
	if missing:
		frappe.throw(
			_("Paramètre manquant : {0}.").format(", ".join(f"« {name} »" for name in missing)),
			ParametreInvalide,
			title=_("Requête invalide"),
		)


# Request arguments through which a client could turn permission checks off (fix 4).
DRAPEAUX_REFUSES = ("ignore_user_permissions",)


def nettoyer_requete() -> None:
	for flag in DRAPEAUX_REFUSES:
		frappe.form_dict.pop(flag, None)


def verifier_version_frappe() -> None:
	"""The fixes patch Frappe's internals: on a version they were not tested against, stop.

	To try another version, run the security suite with SUIVI_FRAPPE_VERSION_ACCEPTEE set to it
	(README, « Changer de version de Frappe »); once green, update FRAPPE_VERSION_VERIFIEE."""
	import os

	version = frappe.__version__
	if version not in (FRAPPE_VERSION_VERIFIEE, os.environ.get("SUIVI_FRAPPE_VERSION_ACCEPTEE")):
		raise RuntimeError(
			f"Suivi social est vérifié avec Frappe {FRAPPE_VERSION_VERIFIEE}, mais Frappe {version} est "
			"installé : ses correctifs de sécurité n'ont pas été testés sur cette version. Voir le README, "
			"« Changer de version de Frappe »."
		)


def apply() -> None:
	verifier_version_frappe()
	if frappe.call is not _call:
		frappe.call = _call
	if DatabaseQuery.apply_fieldlevel_read_permissions is not _apply_fieldlevel_read_permissions:
		DatabaseQuery.apply_fieldlevel_read_permissions = _apply_fieldlevel_read_permissions
	if DatabaseQuery.prepare_filter_condition is not _prepare_filter_condition:
		DatabaseQuery.prepare_filter_condition = _prepare_filter_condition


apply()
