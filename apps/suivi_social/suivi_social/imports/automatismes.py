"""What Document.insert sets off for a new record besides its controller's rules, and what the bulk
writing of an import (imports/ecriture.py) does about each, per DocType, as this site is set up.

Reproduced by the import, or without effect on the records it writes:
- `before_validate`: permissions.structure.garde_structure, whose checks the import makes once per
  import and per batch (ecriture.py);
- `on_update` of Beneficiaire: accueil.jetons.apres_enregistrement, the search index, which the
  import writes for each batch at once (ecriture.py);
- `on_change` of Beneficiaire and Accompagnement: statistiques.memoire, the kept yearly reports,
  which the import invalidates for its structure once per batch (ecriture.py);
- `on_update` of Accompagnement: continuite.notifications.rendez_vous_pour_un_absent, which the
  import calls for each appointment it writes (ecriture.py);
- `validate`: the controller's, with whatever doc_events, Notifications (« Method ») and Server
  Scripts (« Before Save ») hang on it, runs on every record (Gabarit.validate_seul);
- Frappe's `on_update` hooks of every DocType: clear_doctype_notifications, called once per batch
  and DocType; attach_files_to_document, which acts on Attach fields holding a file URL, and the
  import fills none; process_workflow_actions, assignment rules and the permissions of
  non-standard User Types, which act only when such a configuration targets the DocType (below);
- Frappe's `on_change` hooks (energy points, milestones): only when an Energy Point Rule or a
  Milestone Tracker targets the DocType (below).

Set up on the site for the DocType (« automatismes »):
- acting after the INSERT (Notification « New » / « Save », Webhook, Server Script « After Insert »
  / « After Save », Assignment Rule, Energy Point Rule, Milestone Tracker, a non-standard User
  Type, another app's after_insert / on_update / on_change): replayed record by record once the
  batch is written, as insert runs them (:func:`apres_insertion`): the import is slower, not
  different;
- acting before it (an active Workflow, a Server Script « Before Insert » / « Before Validate »,
  a Notification on a before_* method, another app's before_* doc_events): the import refuses to
  run and names them — they need each record inserted alone, before the next one is checked.

The fingerprints of imported rows (Ligne Importee) are the import's own bookkeeping, written in
bulk whatever the site sets up on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import frappe
from frappe import _

EVENEMENTS_AVANT = ("before_insert", "before_naming", "autoname", "before_validate", "before_save")
EVENEMENTS_APRES = ("after_insert", "on_update", "on_change")

# doc_events the import reproduces, or that act only through a configuration checked below.
CROCHETS_CONNUS = {
	"suivi_social.permissions.structure.garde_structure",
	# The reception search's index: written in bulk by the import (ecriture.py, indexer).
	"suivi_social.accueil.jetons.apres_enregistrement",
	# The kept yearly reports: the import invalidates its structure's once per batch (ecriture.py).
	"suivi_social.statistiques.memoire.accompagnement_modifie",
	"suivi_social.statistiques.memoire.beneficiaire_modifie",
	# An appointment given to an absent agent: the import calls it for each one it writes.
	"suivi_social.continuite.notifications.rendez_vous_pour_un_absent",
	"frappe.desk.notifications.clear_doctype_notifications",
	"frappe.core.doctype.file.utils.attach_files_to_document",
	"frappe.workflow.doctype.workflow_action.workflow_action.process_workflow_actions",
	"frappe.automation.doctype.assignment_rule.assignment_rule.apply",
	"frappe.automation.doctype.assignment_rule.assignment_rule.update_due_date",
	"frappe.core.doctype.user_type.user_type.apply_permissions_for_non_standard_user_type",
	"frappe.social.doctype.energy_point_rule.energy_point_rule.process_energy_points",
	"frappe.automation.doctype.milestone_tracker.milestone_tracker.evaluate_milestone",
}

SCRIPTS_AVANT = ("Before Insert", "Before Validate")
SCRIPTS_APRES = ("After Insert", "After Save")


@dataclass
class Automatismes:
	"""What the site sets off for a new record of a DocType, as French labels."""

	avant: list[str] = field(default_factory=list)
	apres: list[str] = field(default_factory=list)


def automatismes(doctype: str) -> Automatismes:
	from frappe.core.doctype.server_script.server_script_utils import get_server_script_map
	from frappe.model.workflow import get_workflow_name

	resultat = Automatismes()
	for cible in (doctype, "*"):
		for evenement, fonctions in frappe.get_doc_hooks().get(cible, {}).items():
			for fonction in fonctions:
				if fonction in CROCHETS_CONNUS:
					continue
				libelle = _("la fonction {0} ({1})").format(fonction, evenement)
				if evenement in EVENEMENTS_AVANT:
					resultat.avant.append(libelle)
				elif evenement in EVENEMENTS_APRES:
					resultat.apres.append(libelle)
	for notification in frappe.get_all(
		"Notification",
		filters={"enabled": 1, "document_type": doctype},
		fields=["name", "event", "method"],
	):
		libelle = _("la notification « {0} »").format(notification.name)
		if notification.event in ("New", "Save") or (
			notification.event == "Method" and notification.method in EVENEMENTS_APRES
		):
			resultat.apres.append(libelle)
		elif notification.event == "Method" and notification.method in EVENEMENTS_AVANT:
			resultat.avant.append(libelle)
	for evenement, scripts in get_server_script_map().get(doctype, {}).items():
		for script in scripts:
			libelle = _("le script serveur « {0} »").format(script)
			if evenement in SCRIPTS_AVANT:
				resultat.avant.append(libelle)
			elif evenement in SCRIPTS_APRES:
				resultat.apres.append(libelle)
	if workflow := get_workflow_name(doctype):
		resultat.avant.append(_("le workflow « {0} »").format(workflow))
	resultat.apres += [
		_("le webhook « {0} »").format(nom)
		for nom in frappe.get_all(
			"Webhook",
			filters={
				"enabled": 1,
				"webhook_doctype": doctype,
				"webhook_docevent": ("in", ("after_insert", "on_update")),
			},
			pluck="name",
		)
	]
	resultat.apres += [
		_("la règle d'affectation « {0} »").format(nom)
		for nom in frappe.get_all(
			"Assignment Rule", filters={"document_type": doctype, "disabled": 0}, pluck="name"
		)
	]
	resultat.apres += [
		_("le suivi d'étapes « {0} »").format(nom)
		for nom in frappe.get_all(
			"Milestone Tracker", filters={"document_type": doctype, "disabled": 0}, pluck="name"
		)
	]
	if frappe.db.get_single_value("Energy Point Settings", "enabled"):
		resultat.apres += [
			_("la règle de points « {0} »").format(nom)
			for nom in frappe.get_all(
				"Energy Point Rule", filters={"reference_doctype": doctype, "enabled": 1}, pluck="name"
			)
		]
	resultat.apres += [
		_("le type d'utilisateur « {0} »").format(nom)
		for nom in frappe.get_all(
			"User Type",
			filters={"is_standard": 0, "apply_user_permission_on": doctype},
			pluck="name",
		)
	]
	return resultat


def apres_insertion(doc) -> None:
	"""The end of Document.insert once its row is written: after_insert, then what follows every
	save (on_update, on_change, the realtime update…), for a record the site automates."""
	from frappe.core.doctype.file.utils import relink_mismatched_files

	doc.run_method("after_insert")
	doc.flags.in_insert = True
	relink_mismatched_files(doc)
	doc.run_post_save_methods()
	doc.flags.in_insert = False
	doc.__dict__.pop("__islocal", None)
