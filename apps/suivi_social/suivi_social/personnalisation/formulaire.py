"""Customize Form for a non-System-Manager (override_doctype_class in hooks.py).

Customize Form is a Single that is never saved: its whitelisted methods write Custom Fields and
Property Setters, whose checks (personnalisation/gardes.py) then apply. Three of its writes escape
those checks, and are checked here:
- an existing custom field is updated with `db_update()`, which runs no hook (update_in_custom_field);
- a Property Setter set back to the field's standard value is deleted with `frappe.db.delete`, which
  runs no hook either: lowering a permlevel raised earlier (make_property_setter);
- the form's own label is a site-wide Translation, and its actions may call any whitelisted method.
Its own check refuses only Frappe's core DocTypes (`core_doctypes_list`), not User or ToDo."""

import frappe
from frappe import _
from frappe.custom.doctype.customize_form.customize_form import (
	CustomizeForm,
	docfield_properties,
	is_standard_or_system_generated_field,
)

from suivi_social.personnalisation.gardes import verifier_definition_de_champ, verifier_niveau
from suivi_social.personnalisation.perimetre import (
	exiger_doctype_de_l_application,
	gestionnaire_du_site,
	refuser,
)


class PersonnaliserFormulaire(CustomizeForm):
	@frappe.whitelist()
	def fetch_to_customize(self):
		self.exiger_doctype_permis()
		return super().fetch_to_customize()

	@frappe.whitelist()
	def save_customization(self):
		self.exiger_doctype_permis()
		if not gestionnaire_du_site():
			self.verifier_actions()
		return super().save_customization()

	@frappe.whitelist()
	def reset_to_defaults(self):
		self.exiger_doctype_permis()
		return super().reset_to_defaults()

	@frappe.whitelist()
	def reset_layout(self):
		self.exiger_doctype_permis()
		return super().reset_layout()

	@frappe.whitelist()
	def trim_table(self):
		if not gestionnaire_du_site():
			# Drops database columns, with their data.
			refuser(_("Seul l'administrateur du site peut supprimer des colonnes de la base de données."))
		return super().trim_table()

	def exiger_doctype_permis(self) -> None:
		if self.doc_type:
			exiger_doctype_de_l_application(self.doc_type, _("Personnaliser le formulaire"))

	def verifier_actions(self) -> None:
		"""A "Server Action" button calls a whitelisted method as whoever clicks it."""
		avant = {
			a.name: (a.action_type, a.action)
			for a in frappe.get_all(
				"DocType Action", filters={"parent": self.doc_type}, fields=["name", "action_type", "action"]
			)
		}
		for action in self.get("actions") or []:
			if action.action_type == "Server Action" and avant.get(action.name) != (
				action.action_type,
				action.action,
			):
				refuser(_("Les actions serveur du formulaire sont réservées à l'administrateur du site."))

	def set_name_translation(self):
		if gestionnaire_du_site():
			return super().set_name_translation()
		actuelle = self.get_name_translation()
		if (self.label or "") != ((actuelle and actuelle.translated_text) or ""):
			# A Translation applies to every text of the site equal to the DocType's name.
			refuser(_("Le nom du type de document ne peut être traduit que par l'administrateur du site."))

	def make_property_setter(self, prop, value, property_type, fieldname=None, apply_on=None, row_name=None):
		if prop == "permlevel" and fieldname and not gestionnaire_du_site():
			verifier_niveau(self.doc_type, fieldname, value)
		return super().make_property_setter(prop, value, property_type, fieldname, apply_on, row_name)

	def update_in_custom_field(self, df, i):
		if not gestionnaire_du_site():
			meta_df = frappe.get_meta(self.doc_type).get("fields", {"fieldname": df.fieldname})
			if meta_df and not is_standard_or_system_generated_field(meta_df[0]):
				champ = frappe.get_doc("Custom Field", meta_df[0].name)
				champ.update({prop: df.get(prop) for prop in docfield_properties})
				verifier_definition_de_champ(self.doc_type, champ)
		return super().update_in_custom_field(df, i)
