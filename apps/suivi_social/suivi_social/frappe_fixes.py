"""Fixes to Frappe 15.44.2 itself that no hook can express. Each one names the bug it closes and
has a regression test; drop it once the pinned Frappe tag carries the fix.

1. DatabaseQuery.apply_fieldlevel_read_permissions removes fields from `self.fields` while
   enumerating it, so the column right after each removed one is skipped: asking for two
   consecutive permlevel-1 columns (get_list, /api/resource, Report Builder) returned the second
   one to a user without that permlevel (tests/securite/test_accueil_confidentiel.py).
   It also checks only the first column of an expression, and none at all in a function call
   that contains a "*" (meant for count(*)): `max(montant_accorde*1)` or `sum(montant_accorde) +
   count(*)` handed the Agent d'accueil the amounts, through /api/resource and through the Number
   Card and Dashboard Chart APIs, which take the aggregate from the client. Every column of every
   expression is now checked (tests/statistiques/test_tableau_de_bord.py).

2. Filters on fields the user may not read are accepted (FRAPPE-NOTES §2.4), which makes them an
   oracle: the Agent d'accueil could list the aids "montant_demande > 500" without seeing any
   amount. A permission-checked query now refuses such a filter. Report Builder's group-by
   (reportview.setup_group_by) is the same oracle: a sum or an average of such a field, or a
   grouping on it, is refused too (Frappe dropped the column, then failed on its ORDER BY).
   So is any ORDER BY or GROUP BY naming such a column, whatever the entry point (get_list,
   /api/resource, reportview.get, the list sidebar's get_group_by_count): sorting on
   montant_accorde ranked the aids by their hidden amount, grouping on it counted its distinct
   values. And Frappe reads a child table's fields at their own permission level, never at the
   level of the parent's Table field that holds them: the Agent d'accueil listed Bénéficiaire's
   « Ressources » (level 1) with their amounts through get_list on the child or a join. Such a
   child table is refused whole (tests/securite/test_tri_et_tableaux_confidentiels.py).

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

5. Report Builder's export with « Traduire les valeurs » ticked (the default) in French writes n
   records as n(n+1)/2 rows: reportview.export_query extends its rows with every row translated so
   far, once per row (frappe#30021, fixed upstream by frappe#31512). The rows it hands to
   handle_duration_fieldtype_values (called only there, right after) are brought back to the n
   translated rows, which are the last n (tests/securite/test_rapports.py).

6. frappe.desk.query_report runs a report (run, get_script, export_query, save_report) after a
   check of its roles only (get_report_doc): a report saved by a user of another structure would
   run there with its filters, and hand them back. The report's read permission, which carries the
   app's rule on saved reports (permissions/rapports.py), is checked first.

7. A print format written in Jinja receives the whole document: printview.get_rendered_template
   hides the fields the user may not read only in the standard layout (is_visible). The Agent
   d'accueil printing a file with a custom format (a Responsable's letter, personnalisation/) got
   its confidential fields. The document is now printed from a copy without them
   (tests/securite/test_outils_responsable.py).

8. A write hands the saved document back to its client whole: the desk form's Save
   (save.send_updated_docs, for savedocs and cancel, with the form's docinfo and its raw Versions)
   and the REST create and update (/api/resource, /api/v2/document) return `doc.as_dict()` without
   removing the fields the user may not read, as getdoc and frappe.client.get do. The Agent
   d'accueil who saved a file's phone number received its confidential fields (NIR, health,
   protection) in the response. The document goes back without them; frappe.client's writes are
   overridden in overrides.py for the same reason (tests/securite/test_ecritures_masquees.py; found
   by tests/securite/test_balayage.py).

9. The form's « Connexions » (frappe.desk.notifications.get_open_count) counts the records linked
   to a document with get_all: a Travailleur social opening an accompaniment saw « Compte rendu
   privé : 1 », a report a colleague wrote and never shared. The linked records are counted
   through get_list, as the list they open (tests/securite/test_methodes_sans_controle.py).

10. Speed, not security: permissions.get_doctypes_with_read reads the whole DocPerm and Custom
   DocPerm tables (about a thousand rows) at each call, and the workspace page calls it once per
   number card and chart to check its permission: 14 times, two thirds of the page's time, which
   took 850 ms at the 95th percentile with 50 agents (benchmarks/charge.py). Its answer is kept for
   the request, per user and roles; Frappe's clear_cache, which every DocPerm change calls, empties
   it (tests/foundation/test_doctypes_lisibles.py; benchmarks/espace_de_travail.py measures it).

Each fix checks the Frappe version it was written for (FRAPPE_VERSION_VERIFIEE): on another
version the app refuses to start until the security suite has been re-run (README, « Changer de
version de Frappe »)."""

import inspect
import math
import re
from functools import cached_property

import frappe
from frappe import _, permissions
from frappe.desk import notifications, query_report, reportview
from frappe.desk.form import save
from frappe.exceptions import FrappeTypeError
from frappe.model.db_query import DatabaseQuery
from frappe.utils.caching import request_cache
from frappe.utils.data import get_filter
from frappe.www import printview

# The Frappe release these fixes and suivi_social/overrides.py were written and tested against.
FRAPPE_VERSION_VERIFIEE = "15.44.2"

_original = DatabaseQuery.apply_fieldlevel_read_permissions


def _apply_fieldlevel_read_permissions(self):
	# Each pass removes at least the first forbidden column left: repeat until nothing changes.
	while True:
		before = list(self.fields)
		_original(self)
		if self.fields == before:
			break
	retirer_expressions_confidentielles(self)


def retirer_expressions_confidentielles(query: DatabaseQuery) -> None:
	"""Remove every requested field whose expression names a column the user may not read."""
	if query.flags.ignore_permissions:
		return
	illisibles = ChampsIllisibles(query)
	for i in reversed(range(len(query.fields))):
		field = query.fields[i]
		if not isinstance(field, str):
			continue
		for column in reportview.extract_fieldnames(field):
			if illisibles.champ(column):
				query.remove_field(i)
				break


class ChampsIllisibles:
	"""The fields of the tables of a permission-checked query that its user may not read."""

	def __init__(self, query: DatabaseQuery):
		self.query = query
		self.par_doctype: dict[str, set[str]] = {}

	def du_doctype(self, doctype: str) -> set[str]:
		if doctype not in self.par_doctype:
			query, meta = self.query, frappe.get_meta(doctype)
			permis = frappe.model.get_permitted_fields(
				doctype=doctype,
				parenttype=parent_de_la_table(query, doctype) if meta.istable else query.parent_doctype,
				user=query.user,
				permission_type=query.permission_map.get(doctype),
				ignore_virtual=True,
			)
			self.par_doctype[doctype] = {df.fieldname for df in meta.fields if not df.is_virtual} - set(
				permis
			)
		return self.par_doctype[doctype]

	def doctype_de_la_table(self, table: str) -> str | None:
		"""`tabX`, tabX or a link join's alias (`tabX_1`) → X; None for what is no DocType's table."""
		table = table.replace("`", "")
		table = self.query.linked_table_aliases.get(table, table).replace("`", "")
		doctype = table[3:] if table.startswith("tab") else table
		return doctype if est_un_doctype(doctype) else None

	@cached_property
	def doctypes_de_la_requete(self) -> list[str]:
		"""The DocTypes of every table the query joins (itself, child tables, linked documents)."""
		tables = [*self.query.tables, *(t.table_alias for t in self.query.link_tables)]
		return [d for d in dict.fromkeys(self.doctype_de_la_table(t) for t in tables) if d]

	def champ(self, column: str, toutes_les_tables: bool = False):
		"""The DocField of a column (« `tabX`.`f` », « tabX_1.f », « f ») if the user may not read it.

		An unqualified column is the query's DocType's, as Frappe qualifies requested fields; in an
		ORDER BY or GROUP BY (`toutes_les_tables`), any joined table's, as MariaDB resolves it."""
		table, _sep, fieldname = column.replace("`", "").rpartition(".")
		if table:
			doctype = self.doctype_de_la_table(table)
			# Not a table this check knows (Frappe's own checks refuse those).
			doctypes = [doctype] if doctype else []
		else:
			doctypes = self.doctypes_de_la_requete if toutes_les_tables else [self.query.doctype]
		for doctype in doctypes:
			if fieldname in self.du_doctype(doctype):
				return frappe.get_meta(doctype).get_field(fieldname)
		return None


@request_cache
def est_un_doctype(doctype: str) -> bool:
	return bool(frappe.db.exists("DocType", doctype))


_original_validate_order_by_and_group_by = DatabaseQuery.validate_order_by_and_group_by


def _validate_order_by_and_group_by(self, parameters: str):
	_original_validate_order_by_and_group_by(self, parameters)
	refuser_tri_confidentiel(self, parameters)


def refuser_tri_confidentiel(query: DatabaseQuery, clause: str | None) -> None:
	"""An ORDER BY or GROUP BY clause naming a column the user may not read is refused: the order of
	the rows ranks the hidden values, and the groups count their distinct values (fix 2)."""
	if not clause or query.flags.ignore_permissions:
		return
	illisibles = ChampsIllisibles(query)
	# Most queries name no such field (and most users read them all): no SQL parsing for those.
	interdits = set().union(*(illisibles.du_doctype(d) for d in illisibles.doctypes_de_la_requete))
	if not any(re.search(rf"\b{re.escape(fieldname)}\b", clause) for fieldname in interdits):
		return
	for expression in expressions_du_tri(clause):
		try:
			colonnes = reportview.extract_fieldnames(expression)
		except Exception:
			# An expression the SQL parser does not read: every word of it is a possible column.
			colonnes = re.findall(r"[\w.`]+", expression)
		for colonne in colonnes:
			if df := illisibles.champ(colonne, toutes_les_tables=True):
				frappe.throw(
					_("Tri ou regroupement refusé : vous n'avez pas accès au champ « {0} ».").format(
						_(df.label or df.fieldname)
					),
					frappe.PermissionError,
				)


def expressions_du_tri(clause: str) -> list[str]:
	"""« a desc, ifnull(b, 0) asc » → ["a", "ifnull(b, 0)"]: split on the commas outside brackets and
	quotes, without the sort directions (the SQL parser reads « count desc » as a syntax error)."""
	expressions, courante, profondeur, guillemet = [], "", 0, None
	for caractere in clause:
		if guillemet:
			guillemet = None if caractere == guillemet else guillemet
		elif caractere in "'\"`":
			guillemet = caractere
		elif caractere == "(":
			profondeur += 1
		elif caractere == ")":
			profondeur -= 1
		elif caractere == "," and profondeur == 0:
			expressions.append(courante)
			courante = ""
			continue
		courante += caractere
	expressions.append(courante)
	return [
		e
		for e in (re.sub(r"\s+(asc|desc)\s*$", "", e.strip(), flags=re.IGNORECASE) for e in expressions)
		if e
	]


def parent_de_la_table(query: DatabaseQuery, doctype: str, parent_doctype: str | None = None) -> str | None:
	"""The parent DocType of a child table in a query: the query's own DocType when it joins the
	child, the `parent_doctype` it names when it lists the child itself."""
	return parent_doctype or (query.parent_doctype if doctype == query.doctype else query.doctype)


_original_check_read_permission = DatabaseQuery.check_read_permission


def _check_read_permission(self, doctype: str, parent_doctype: str | None = None):
	ptype = _original_check_read_permission(self, doctype, parent_doctype)
	if not self.flags.ignore_permissions:
		refuser_table_confidentielle(self, doctype, parent_doctype)
	return ptype


def refuser_table_confidentielle(query: DatabaseQuery, doctype: str, parent_doctype: str | None = None):
	"""A child table kept in a Table field of a permission level the user may not read (Bénéficiaire's
	« Ressources ») is refused whole, listed itself or joined to its parent (fix 2)."""
	if not frappe.get_meta(doctype).istable:
		return
	parent = parent_de_la_table(query, doctype, parent_doctype)
	if not parent or parent == doctype:
		return  # Frappe refuses a child table listed without its parent
	meta = frappe.get_meta(parent)
	lisibles = set(meta.get_permlevel_access("read", user=query.user))
	for df in meta.get_table_fields():
		if df.options == doctype and (df.permlevel or 0) not in lisibles:
			frappe.throw(
				_("Accès refusé : vous n'avez pas accès au tableau « {0} ».").format(_(df.label)),
				frappe.PermissionError,
			)


_original_prepare_filter_condition = DatabaseQuery.prepare_filter_condition


def _prepare_filter_condition(self, f):
	if not self.flags.ignore_permissions:
		filtre = get_filter(self.doctype, f)
		refuser_nom_de_champ_illisible(filtre)
		refuser_filtre_confidentiel(self, filtre)
	return _original_prepare_filter_condition(self, f)


def refuser_nom_de_champ_illisible(f) -> None:
	"""A filter's field is written into the SQL as an identifier (or, from Frappe's own calendar, an
	expression such as ifnull(…)): characters no DocType, field or expression has made MariaDB fail
	(error 1300, HTTP 500) on requests of any user (tests/securite/test_entrees_invalides.py)."""
	if not (ASCII_IMPRIMABLE.fullmatch(f.fieldname or "") and ASCII_IMPRIMABLE.fullmatch(f.doctype or "")):
		frappe.throw(
			_("Filtre refusé : le champ « {0} » n'existe pas.").format(f.fieldname), ParametreInvalide
		)


ASCII_IMPRIMABLE = re.compile(r"[\x20-\x7e]+")


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


_original_setup_group_by = reportview.setup_group_by


def _setup_group_by(data):
	if data.group_by and data.aggregate_function:
		for doctype, fieldname in (
			(data.aggregate_on_doctype or data.doctype, data.aggregate_on_field),
			champ_du_regroupement(data.doctype, data.group_by),
		):
			df = frappe.get_meta(doctype).get_field(fieldname) if doctype and fieldname else None
			if (
				df
				and df.permlevel
				and df.permlevel not in frappe.get_meta(data.doctype).get_permlevel_access("read")
			):
				frappe.throw(
					_("Regroupement refusé : vous n'avez pas accès au champ « {0} ».").format(_(df.label)),
					frappe.PermissionError,
				)
	return _original_setup_group_by(data)


def champ_du_regroupement(doctype: str, group_by: str) -> tuple[str, str]:
	"""« `tabAccompagnement`.`statut` » or « statut » → (DocType, fieldname)."""
	match = re.fullmatch(r"`tab([^`]+)`\.`?(\w+)`?", group_by.strip())
	return (match.group(1), match.group(2)) if match else (doctype, group_by.strip("` "))


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


_original_handle_duration = reportview.handle_duration_fieldtype_values


def _handle_duration_fieldtype_values(doctype, data, fields):
	if frappe.form_dict.get("translate_values") == "1" and frappe.local.lang != "en":
		data = lignes_traduites_sans_doublons(data)
	return _original_handle_duration(doctype, data, fields)


def lignes_traduites_sans_doublons(data: list) -> list:
	"""[header, r1, r1, r2, r1, r2, r3, …] (n(n+1)/2 rows after the header) → [header, r1 … rn]."""
	total = len(data) - 1
	n = (math.isqrt(8 * total + 1) - 1) // 2
	if n * (n + 1) // 2 != total or (n and data[1] is not data[total - n + 1]):
		return data  # not the duplicated shape: leave Frappe's rows alone
	return [data[0], *data[total - n + 1 :]]


_original_get_report_doc = query_report.get_report_doc


def _get_report_doc(report_name):
	if not frappe.has_permission("Report", "read", report_name):
		frappe.throw(
			_("Vous n'avez pas accès au rapport « {0} ».").format(report_name), frappe.PermissionError
		)
	return _original_get_report_doc(report_name)


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


_original_get_rendered_template = printview.get_rendered_template


_original_send_updated_docs = save.send_updated_docs


def _get_rendered_template(doc, *args, **kwargs):
	return _original_get_rendered_template(sans_champs_illisibles(doc), *args, **kwargs)


def sans_champs_illisibles(doc):
	"""A copy of the document without the values of fields (and child fields) the user may not read;
	the document itself when there are none. The caller's document is never changed."""
	if frappe.session.user == "Administrator":
		return doc
	lisibles = set(doc.get_permlevel_access("read")) | {0}
	masques = [df for df in doc.meta.fields if (df.permlevel or 0) not in lisibles]
	tables = {
		df.fieldname: [
			c.fieldname for c in frappe.get_meta(df.options).fields if (c.permlevel or 0) not in lisibles
		]
		for df in doc.meta.get_table_fields()
		if df not in masques
	}
	if not masques and not any(tables.values()):
		return doc
	copie = frappe.get_doc(doc.as_dict())
	for df in masques:
		copie.set(df.fieldname, [] if df.fieldtype in frappe.model.table_fields else None)
	for table, champs in tables.items():
		for ligne in copie.get(table) or []:
			for fieldname in champs:
				ligne.set(fieldname, None)
	return copie


def _send_updated_docs(doc):
	from suivi_social.overrides import masquer_versions

	_original_send_updated_docs(sans_champs_illisibles(doc))
	masquer_versions()


def ecriture_sans_champs_illisibles(endpoint):
	"""A REST create or update endpoint whose returned document is masked (fix 8)."""

	def ecrire(*args, **kwargs):
		return sans_champs_illisibles(endpoint(*args, **kwargs))

	ecrire.ecriture_d_origine = endpoint
	return ecrire


def masquer_les_ecritures_rest() -> None:
	from frappe.api import API_URL_MAP, v1, v2

	# The routing map also indexes its rules by endpoint (werkzeug's redirects read it): both change.
	par_endpoint = API_URL_MAP._rules_by_endpoint
	for endpoint in (v1.create_doc, v1.update_doc, v2.create_doc, v2.update_doc):
		if endpoint not in par_endpoint:
			continue  # already wrapped in this process
		masque = ecriture_sans_champs_illisibles(endpoint)
		for rule in par_endpoint[endpoint]:
			rule.endpoint = masque
		par_endpoint[masque] = par_endpoint.pop(endpoint)


def _get_doc_count(doctype, filters):
	"""notifications.get_doc_count through get_list (fix 9); a DocType the user may not list counts 0."""
	try:
		noms = frappe.get_list(
			doctype, fields="name", filters=filters, limit=100, distinct=True, ignore_ifnull=True, order_by=""
		)
	except frappe.PermissionError:
		frappe.clear_last_message()
		return 0
	return len(noms)


_get_doctypes_with_read = permissions.get_doctypes_with_read


def _doctypes_lisibles() -> list[str]:
	"""permissions.get_doctypes_with_read, computed once per request for a user and their roles (fix 10)."""
	return list(_doctypes_lisibles_pour(frappe.session.user, tuple(frappe.get_roles())))


@request_cache
def _doctypes_lisibles_pour(user: str, roles: tuple) -> tuple[str, ...]:
	return tuple(_get_doctypes_with_read())


# (owner, attribute, replacement): each fix of this module that replaces one of Frappe's functions.
REMPLACEMENTS = (
	(save, "send_updated_docs", _send_updated_docs),
	(frappe, "call", _call),
	(DatabaseQuery, "apply_fieldlevel_read_permissions", _apply_fieldlevel_read_permissions),
	(DatabaseQuery, "prepare_filter_condition", _prepare_filter_condition),
	(DatabaseQuery, "validate_order_by_and_group_by", _validate_order_by_and_group_by),
	(DatabaseQuery, "check_read_permission", _check_read_permission),
	(reportview, "setup_group_by", _setup_group_by),
	(reportview, "handle_duration_fieldtype_values", _handle_duration_fieldtype_values),
	(query_report, "get_report_doc", _get_report_doc),
	(printview, "get_rendered_template", _get_rendered_template),
	(notifications, "get_doc_count", _get_doc_count),
	(permissions, "get_doctypes_with_read", _doctypes_lisibles),
)


def apply() -> None:
	"""Idempotent: imported again (a reload, a second import path), nothing is wrapped twice."""
	verifier_version_frappe()
	for owner, attribute, replacement in REMPLACEMENTS:
		if getattr(owner, attribute) is not replacement:
			setattr(owner, attribute, replacement)
	masquer_les_ecritures_rest()


apply()
