"""The checks on each no-code object a non-System-Manager saves or deletes (doc_events in hooks.py).

They run as `before_validate`, which Frappe runs even for documents saved with
`flags.ignore_validate` (List View Settings writes its Property Setters that way) and with
`ignore_permissions` (Report Builder's save_report, create_number_card). A System Manager is never
restricted here. The rules are explained in personnalisation/__init__.py."""

import json

import frappe
from frappe import _
from frappe.model import table_fields
from frappe.utils import cint

from suivi_social.personnalisation.modeles import (
	verifier_condition_js,
	verifier_condition_python,
	verifier_css,
	verifier_filtres_dynamiques,
	verifier_html,
	verifier_modele,
	verifier_texte,
)
from suivi_social.personnalisation.perimetre import (
	doctypes_de_l_application,
	est_de_l_application,
	exiger_doctype_de_l_application,
	gestionnaire_du_site,
	refuser,
)

# Field properties a non-System-Manager may never turn on, and why.
PROPRIETES_INTERDITES = {
	# A Link that ignores User Permissions would show other structures' records.
	"ignore_user_permissions": "ignorer les permissions d'utilisateur",
	# Values stored without HTML sanitising: a script typed in the field would run in the desk.
	"ignore_xss_filter": "ignorer le filtre XSS",
	# Frappe's global search only checks the DocType, not the structure (FRAPPE-NOTES §2.5, leak 1).
	"in_global_search": "dans la recherche globale",
	# A unique index spans every structure: a refused save would tell that the value exists elsewhere.
	"unique": "unique",
	# A virtual field's options are Python, evaluated with Frappe's globals on every read.
	"is_virtual": "virtuel",
}
CONDITIONS_JS = ("depends_on", "mandatory_depends_on", "read_only_depends_on", "collapsible_depends_on")
# The Code type is stored without HTML sanitising (BaseDocument._sanitize_content).
TYPES_INTERDITS = {"Code"}
# Form-level properties a non-System-Manager may change through Customize Form; the others change
# naming (opaque IDs), e-mail intake, public attachments or the audit trail.
PROPRIETES_DOCTYPE = {
	"search_fields",
	"title_field",
	"image_field",
	"sort_field",
	"sort_order",
	"default_print_format",
	"allow_copy",
	"quick_entry",
	"editable_grid",
	"max_attachments",
	"track_changes",
	"track_views",
	"allow_import",
	"show_preview_popup",
	"show_title_field_in_link",
	"is_calendar_and_gantt",
	"default_view",
	"force_re_route_to_default_view",
	"translated_doctype",
	"field_order",
	"links_order",
	"actions_order",
	"states_order",
}
# The audit trail (Version, View Log) stays on.
TRACES = ("track_changes", "track_views")
# Fields that search, titles and sorting read for every user: a confidential one would leak, or
# break the Agent d'accueil's link search (frappe_fixes refuses filters on fields they cannot read).
CHAMPS_LUS_PAR_TOUS = ("search_fields", "title_field", "sort_field")


# --- Custom Field, Property Setter -------------------------------------------------------------


def garder_champ_personnalise(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	exiger_doctype_de_l_application(doc.dt, _("Champ personnalisé"))
	if doc.is_new():
		# Fields made by code (the app, a migration) are the System Manager's (see permission()).
		doc.is_system_generated = 0
	verifier_definition_de_champ(doc.dt, doc)


def verifier_definition_de_champ(doctype: str, df) -> None:
	"""Every property of a custom field (a Custom Field, or its row in Customize Form)."""
	quoi = _("Champ « {0} »").format(df.get("label") or df.get("fieldname") or "")
	for prop in PROPRIETES_INTERDITES:
		if cint(df.get(prop)):
			refuser_propriete(quoi, prop)
	verifier_type(quoi, df.get("fieldtype"), df.get("options"))
	if df.get("fetch_from"):
		verifier_fetch_from(doctype, df.get("fetch_from"), cint(df.get("permlevel")), quoi)
	for prop in CONDITIONS_JS:
		verifier_condition_js(df.get(prop), quoi)
	if df.get("fieldtype") == "HTML":
		# Shown as HTML in the form, rendered as Jinja in the standard print format.
		verifier_modele(df.get("options"), "champ_html", quoi)
	verifier_html(df.get("description"), quoi)
	for prop in ("label", "placeholder", "default"):
		verifier_texte(df.get(prop), quoi)


def refuser_propriete(quoi: str, prop: str) -> None:
	refuser(
		_("{0} : la propriété « {1} » est réservée à l'administrateur du site.").format(
			quoi, _(PROPRIETES_INTERDITES.get(prop, prop))
		)
	)


def verifier_type(quoi: str, fieldtype: str | None, options: str | None) -> None:
	if fieldtype in TYPES_INTERDITS:
		refuser(_("{0} : le type « {1} » est réservé à l'administrateur du site.").format(quoi, _(fieldtype)))
	if fieldtype in table_fields and not (
		options in doctypes_de_l_application() and frappe.get_meta(options).istable
	):
		refuser(
			_("{0} : un tableau ne peut contenir que des lignes d'un tableau de Suivi social.").format(quoi)
		)


def verifier_fetch_from(doctype: str, fetch_from: str, permlevel: int, quoi: str) -> None:
	"""A value copied from a linked record is read without any permission check
	(BaseDocument._validate_links, frappe.db.get_value): only from the app's records, and never from a
	field more confidential than the one it is copied into."""
	lien, _point, source = fetch_from.partition(".")
	meta = frappe.get_meta(doctype)
	df_lien = meta.get_field(lien)
	cible = df_lien.options if df_lien and df_lien.fieldtype == "Link" else None
	df_source = frappe.get_meta(cible).get_field(source) if est_de_l_application(cible) else None
	if not df_source:
		refuser(
			_(
				"{0} : « Récupérer depuis » ne peut lire qu'un champ d'un document de Suivi social lié."
			).format(quoi)
		)
	if max(cint(df_lien.permlevel), cint(df_source.permlevel)) > permlevel:
		refuser(
			_("{0} : un champ confidentiel ne peut pas être recopié dans un champ moins protégé.").format(
				quoi
			)
		)


def garder_propriete(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	exiger_doctype_de_l_application(doc.doc_type, _("Personnalisation"))
	if doc.doctype_or_field == "DocType":
		verifier_propriete_du_formulaire(doc.doc_type, doc.property, doc.value)
	elif doc.doctype_or_field == "DocField":
		verifier_propriete_de_champ(doc.doc_type, doc.field_name, doc.property, doc.value)
	elif doc.doctype_or_field == "DocType Action" and doc.property in ("action", "action_type"):
		refuser(_("Les actions du formulaire sont réservées à l'administrateur du site."))


def verifier_propriete_du_formulaire(doctype: str, prop: str, value) -> None:
	quoi = _("Formulaire {0}").format(_(doctype))
	if prop not in PROPRIETES_DOCTYPE:
		refuser(_("{0} : la propriété « {1} » est réservée à l'administrateur du site.").format(quoi, prop))
	if prop in TRACES and not cint(value):
		refuser(_("{0} : l'historique des modifications et des consultations reste activé.").format(quoi))
	if prop in CHAMPS_LUS_PAR_TOUS:
		meta = frappe.get_meta(doctype)
		for fieldname in (value or "").split(","):
			df = meta.get_field(fieldname.strip())
			if df and cint(df.permlevel):
				refuser(
					_(
						"{0} : le champ confidentiel « {1} » ne peut pas servir à la recherche, au titre ou au tri."
					).format(quoi, _(df.label))
				)


def verifier_propriete_de_champ(doctype: str, fieldname: str, prop: str, value) -> None:
	meta = frappe.get_meta(doctype)
	df = meta.get_field(fieldname)
	quoi = _("Champ « {0} »").format(_(df.label) if df and df.label else fieldname)
	if not df:
		refuser(_("{0} : ce champ n'existe pas dans {1}.").format(quoi, _(doctype)))
	if prop in PROPRIETES_INTERDITES and cint(value):
		refuser_propriete(quoi, prop)
	verifier_comme_personnaliser_le_formulaire(doctype, df, prop, value, quoi)
	if prop == "permlevel":
		verifier_niveau(doctype, fieldname, value)
		if cint(value) and fieldname in champs_lus_par_tous(meta):
			refuser(
				_(
					"{0} : il sert à la recherche, au titre ou au tri ; retirez-le d'abord de ces réglages."
				).format(quoi)
			)
	elif prop == "fieldtype":
		verifier_type(quoi, value, df.options)
	elif prop == "options" and df.fieldtype == "HTML":
		verifier_modele(value, "champ_html", quoi)
	elif prop == "fetch_from" and value:
		verifier_fetch_from(doctype, value, cint(df.permlevel), quoi)
	elif prop in CONDITIONS_JS:
		verifier_condition_js(value, quoi)
	elif prop == "description":
		verifier_html(value, quoi)
	elif prop in ("label", "placeholder", "default"):
		verifier_texte(value, quoi)


def verifier_comme_personnaliser_le_formulaire(doctype: str, df, prop: str, value, quoi: str) -> None:
	"""Customize Form's own limits on built-in fields (CustomizeForm.allow_property_change), which a
	Property Setter written through the API or its form would skip: the `structure` link made a Data
	field, or not mandatory, would switch off the structure guard."""
	from frappe.custom.doctype.customize_form.customize_form import ALLOWED_OPTIONS_CHANGE, CustomizeForm

	standard = frappe.db.get_value(
		"DocField", {"parent": doctype, "fieldname": df.fieldname}, ["reqd", "read_only"], as_dict=True
	)
	if (
		prop == "fieldtype"
		and value != df.fieldtype
		and not CustomizeForm.allow_fieldtype_change(df.fieldtype, value)
	):
		refuser(
			_("{0} : le type « {1} » ne peut pas devenir « {2} ».").format(quoi, _(df.fieldtype), _(value))
		)
	elif prop == "options" and df.fieldtype not in ALLOWED_OPTIONS_CHANGE:
		refuser(_("{0} : ses options ne peuvent pas être changées.").format(quoi))
	elif standard and prop == "reqd" and standard.reqd and not cint(value):
		refuser(_("{0} : un champ obligatoire livré le reste.").format(quoi))
	elif standard and prop == "read_only" and standard.read_only and not cint(value):
		refuser(_("{0} : un champ en lecture seule livré le reste.").format(quoi))


def champs_lus_par_tous(meta) -> set[str]:
	return {f.strip() for f in (meta.search_fields or "").split(",")} | {meta.title_field, meta.sort_field}


def niveau_integre(doctype: str, fieldname: str) -> int | None:
	"""The permlevel a built-in field has without customisation: its DocField, or for a field the app
	created by code, its Custom Field. None for a field created through Customize Form."""
	niveau = frappe.db.get_value("DocField", {"parent": doctype, "fieldname": fieldname}, "permlevel")
	if niveau is None:
		niveau = frappe.db.get_value(
			"Custom Field", {"dt": doctype, "fieldname": fieldname, "is_system_generated": 1}, "permlevel"
		)
	return None if niveau is None else cint(niveau)


def niveau_actuel(doctype: str, fieldname: str) -> int | None:
	"""The permlevel in force for a built-in field, customisations included (a Property Setter being
	updated or replaced still holds its previous value in the database)."""
	base = niveau_integre(doctype, fieldname)
	if base is None:
		return None
	valeur = frappe.db.get_value(
		"Property Setter", {"doc_type": doctype, "field_name": fieldname, "property": "permlevel"}, "value"
	)
	return base if valeur is None else cint(valeur)


def verifier_niveau(doctype: str, fieldname: str, value) -> None:
	"""A non-System-Manager may raise a built-in field's permlevel (hide it from more roles), never
	lower it: what the app or the System Manager made confidential stays confidential."""
	actuel = niveau_actuel(doctype, fieldname)
	if actuel is not None and cint(value) < actuel:
		refuser_baisse(doctype, fieldname)


def refuser_baisse(doctype: str, fieldname: str) -> None:
	df = frappe.get_meta(doctype).get_field(fieldname)
	refuser(
		_(
			"Champ « {0} » : son niveau de confidentialité ne peut pas être abaissé ; "
			"demandez-le à l'administrateur du site."
		).format(_(df.label) if df else fieldname)
	)


def garder_suppression_de_propriete(doc, method=None) -> None:
	"""Deleting a Property Setter that raised a built-in field's permlevel lowers it back."""
	if gestionnaire_du_site() or doc.property != "permlevel" or doc.doctype_or_field != "DocField":
		return
	base = niveau_integre(doc.doc_type, doc.field_name)
	if base is not None and cint(doc.value) > base:
		refuser_baisse(doc.doc_type, doc.field_name)


# --- Print Format -----------------------------------------------------------------------------


def garder_format_d_impression(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	quoi = _("Format d'impression « {0} »").format(doc.name or "")
	exiger_doctype_de_l_application(doc.doc_type, quoi)
	if doc.standard == "Yes":
		refuser(_("{0} : les formats standard sont livrés par l'application.").format(quoi))
	if doc.print_format_type == "JS":
		# Rendered by the browser as JavaScript (frappe.render_template of the desk).
		refuser(_("{0} : seuls les formats Jinja sont permis.").format(quoi))
	if cint(doc.raw_printing):
		refuser(
			_("{0} : l'impression brute (commandes d'imprimante) est réservée à l'administrateur.").format(
				quoi
			)
		)
	verifier_modele(doc.html, "impression", quoi)
	verifier_css(doc.css, quoi)
	verifier_format_data(doc.format_data, quoi)


def verifier_format_data(format_data: str | None, quoi: str) -> None:
	"""The Print Format Builder's layout: its HTML blocks, header and footer are Jinja templates
	(templates/print_formats/standard_macros.html, templates/print_format/macros/HTML.html), every
	other text is printed as is."""
	if not format_data:
		return
	try:
		donnees = json.loads(format_data)
	except ValueError:
		refuser(_("{0} : mise en page illisible.").format(quoi))

	def parcourir(valeur, cle=None, parent=None):
		if isinstance(valeur, dict):
			for k, v in valeur.items():
				parcourir(v, k, valeur)
		elif isinstance(valeur, list):
			for v in valeur:
				parcourir(v, cle, parent)
		elif isinstance(valeur, str):
			bloc_html = parent is not None and parent.get("fieldtype") in ("HTML", "Custom HTML")
			if (bloc_html and cle in ("options", "html")) or cle in ("header", "footer"):
				verifier_modele(valeur, "champ_html", quoi)
			else:
				verifier_texte(valeur, quoi)

	parcourir(donnees)


# --- Report, Notification, Dashboard Chart, Number Card, List View Settings -----------------


def garder_rapport(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	quoi = _("Rapport « {0} »").format(doc.report_name or doc.name or "")
	exiger_doctype_de_l_application(doc.ref_doctype, quoi)
	if doc.report_type == "Custom Report":
		# « Enregistrer sous » of a report: its columns and filters, run by the report it names.
		reference = frappe.db.get_value(
			"Report", doc.reference_report or "", ["is_standard", "ref_doctype"], as_dict=True
		)
		if not (reference and reference.is_standard == "Yes" and est_de_l_application(reference.ref_doctype)):
			refuser(
				_(
					"{0} : seul un rapport livré par Suivi social peut être enregistré sous un autre nom."
				).format(quoi)
			)
	elif doc.report_type != "Report Builder":
		# Query Reports run raw SQL, Script Reports run Python: no structure criterion applies.
		refuser(_("{0} : seuls les rapports du générateur de rapports sont permis.").format(quoi))
	if doc.is_standard == "Yes":
		refuser(_("{0} : les rapports standard sont livrés par l'application.").format(quoi))
	if doc.get("query") or doc.get("report_script") or doc.get("javascript"):
		refuser(_("{0} : un rapport ne peut pas contenir de requête ni de script.").format(quoi))


CANAUX_PERMIS = ("Email", "System Notification")


def garder_notification(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	quoi = _("Notification « {0} »").format(doc.subject or doc.name or "")
	exiger_doctype_de_l_application(doc.document_type, quoi)
	if not doc.get("structure"):
		refuser(_("{0} : indiquez la structure dont les documents la déclenchent.").format(quoi))
	if doc.channel not in CANAUX_PERMIS:
		# Slack and SMS go to addresses whose right to read the document cannot be checked.
		refuser(_("{0} : seuls l'e-mail et la notification dans l'application sont permis.").format(quoi))
	if cint(doc.is_standard):
		refuser(_("{0} : les notifications standard sont livrées par l'application.").format(quoi))
	verifier_modele(doc.subject, "notification", _("{0}, objet").format(quoi))
	verifier_modele(doc.message, "notification", _("{0}, message").format(quoi))
	verifier_condition_python(doc.condition, _("{0}, condition").format(quoi))
	for ligne in doc.recipients:
		verifier_modele(ligne.cc, "notification", _("{0}, copie").format(quoi), html=False)
		verifier_modele(ligne.bcc, "notification", _("{0}, copie cachée").format(quoi), html=False)
		verifier_condition_python(ligne.condition, _("{0}, condition du destinataire").format(quoi))


def garder_graphique(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	quoi = _("Graphique « {0} »").format(doc.chart_name or doc.name or "")
	garder_indicateur(doc, quoi)
	if doc.chart_type not in ("Count", "Sum", "Average", "Group By"):
		# "Custom" runs a source's code, "Report" a report of any kind.
		refuser(_("{0} : un graphique compte ou additionne des documents de Suivi social.").format(quoi))
	verifier_texte(doc.chart_name, quoi)


def garder_carte(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	quoi = _("Carte « {0} »").format(doc.label or doc.name or "")
	garder_indicateur(doc, quoi)
	if doc.type != "Document Type":
		# "Custom" calls a method by name in each viewer's browser, "Report" a report of any kind.
		refuser(_("{0} : une carte compte ou additionne des documents de Suivi social.").format(quoi))
	verifier_texte(doc.label, quoi)


def garder_indicateur(doc, quoi: str) -> None:
	exiger_doctype_de_l_application(doc.document_type, quoi)
	if doc.get("parent_document_type"):
		exiger_doctype_de_l_application(doc.parent_document_type, quoi)
	if cint(doc.is_standard):
		refuser(_("{0} : les indicateurs standard sont livrés par l'application.").format(quoi))
	verifier_filtres_dynamiques(doc.dynamic_filters_json, quoi)


def garder_reglages_de_liste(doc, method=None) -> None:
	if gestionnaire_du_site():
		return
	quoi = _("Réglages de la liste {0}").format(_(doc.name or ""))
	exiger_doctype_de_l_application(doc.name, quoi)
	for colonne in json.loads(doc.fields or "[]"):
		verifier_texte(colonne.get("label"), quoi)


# --- Document permission (has_permission hooks): only deny ------------------------------------

CIBLES = {
	"Custom Field": "dt",
	"Property Setter": "doc_type",
	"Print Format": "doc_type",
	"Dashboard Chart": "document_type",
	"Number Card": "document_type",
	"List View Settings": "name",
}
LECTURE = ("read", "select", "print", "email", "report", "export")


def permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""A non-System-Manager changes or deletes only the no-code objects of the app's DocTypes, and
	never those the app or Frappe made by code: core customisations (the File field of
	permissions/fichiers.py), standard print formats, cards and charts. Reading is left to Frappe."""
	if (ptype or "read") in LECTURE or gestionnaire_du_site(user):
		return None
	if not est_de_l_application(doc.get(CIBLES[doc.doctype])):
		return False
	if doc.doctype == "Custom Field" and cint(doc.get("is_system_generated")) and not doc.is_new():
		return False
	if doc.get("is_standard") in (1, "1", "Yes") or doc.get("standard") == "Yes":
		return False
	return None
