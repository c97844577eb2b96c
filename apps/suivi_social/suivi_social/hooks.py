app_name = "suivi_social"
app_title = "Suivi social"
app_publisher = "Suivi social"
app_description = "Dossiers des bénéficiaires et suivi des accompagnements pour les CCAS et CIAS"
app_email = "contact@suivi-social.fr"
app_license = "agpl-3.0"
# "org/repo" form: a bare "frappe" makes the installer ask GitHub which organisation owns it.
required_apps = ["frappe/frappe"]

# Controllers carry the generated `DF` type block.
export_python_type_annotations = True

# Installation -------------------------------------------------------------------------------
after_install = "suivi_social.install.after_install"
after_migrate = "suivi_social.install.after_migrate"
before_tests = "suivi_social.setup.site.configure_site"
# The Agent d'accueil lands on the Accueil page (accueil/connexion.py).
on_session_creation = ["suivi_social.accueil.connexion.diriger_vers_l_accueil"]

# Permissions --------------------------------------------------------------------------------
# One criterion (suivi_social.permissions.structure), applied as a query condition and as a
# document check on every DocType that carries a structure.
STRUCTURE_DOCTYPES = (
	"Type Accompagnement",
	"Beneficiaire",
	"Accompagnement",
	"Rappel",
	# Imports of legacy workbooks (imports/): readable by who may import into the structure.
	"Import Classeur",
	"Modele Import",
	"Correspondance Referent",
	"Ligne Importee",
	# Continuity when an agent is away or leaves (continuite/).
	"Absence",
	"Reaffectation",
	# The audit entries of erasures (rgpd/droits.py): read by the structure's Responsable.
	"Effacement RGPD",
)

permission_query_conditions = {
	"Structure": "suivi_social.permissions.structure.structure_query_conditions",
	"Compte Rendu Prive": "suivi_social.permissions.compte_rendu_prive.query_conditions",
	# Attachments: listed with their record; a confidential one only to who reads the record's
	# confidential part (permissions/pieces_jointes.py).
	"File": [
		"suivi_social.permissions.fichiers.query_conditions",
		"suivi_social.permissions.pieces_jointes.query_conditions",
	],
	# Saved reports and the export log: within the structures of their owner (permissions/collegues.py).
	"Report": "suivi_social.permissions.rapports.query_conditions",
	"Access Log": "suivi_social.permissions.journal_acces.query_conditions",
	# Who opened which file: by the structure of the opened record (permissions/journal_consultations.py).
	"View Log": "suivi_social.permissions.structure.query_conditions",
	# A private report's history is read only by who reads the report (permissions/versions.py).
	"Version": "suivi_social.permissions.versions.query_conditions",
	# Tags: with the record they are put on (permissions/etiquettes.py).
	"Tag Link": "suivi_social.permissions.etiquettes.query_conditions",
	"Tag": "suivi_social.permissions.etiquettes.tag_query_conditions",
	**{doctype: "suivi_social.permissions.structure.query_conditions" for doctype in STRUCTURE_DOCTYPES},
}

# Frappe's no-code DocTypes given to the Responsable de structure (suivi_social/personnalisation/).
PERSONNALISATION_DOCTYPES = (
	"Custom Field",
	"Property Setter",
	"Print Format",
	"Dashboard Chart",
	"List View Settings",
)

has_permission = {
	"Structure": "suivi_social.permissions.structure.structure_has_permission",
	"Compte Rendu Prive": "suivi_social.permissions.compte_rendu_prive.has_permission",
	"Report": "suivi_social.permissions.rapports.has_permission",
	"Access Log": "suivi_social.permissions.journal_acces.has_permission",
	"File": "suivi_social.permissions.pieces_jointes.has_permission",
	"View Log": "suivi_social.permissions.structure.has_permission",
	"Version": "suivi_social.permissions.versions.has_permission",
	"Tag Link": "suivi_social.permissions.etiquettes.has_permission",
	"Tag": "suivi_social.permissions.etiquettes.tag_has_permission",
	# A number card that sums a field the user may not read (the aids' amounts) is not theirs, so
	# the workspace does not list it for them (dossiers/tableau_de_bord.py).
	"Number Card": [
		"suivi_social.dossiers.tableau_de_bord.carte_has_permission",
		"suivi_social.personnalisation.gardes.permission",
	],
	# The manager's no-code tools change only the app's DocTypes (suivi_social/personnalisation/).
	**{doctype: "suivi_social.personnalisation.gardes.permission" for doctype in PERSONNALISATION_DOCTYPES},
	**{doctype: "suivi_social.permissions.structure.has_permission" for doctype in STRUCTURE_DOCTYPES},
	# A desk notification is read by its addressee only: Frappe filters the list, not the document
	# (permissions/notifications.py).
	"Notification Log": "suivi_social.permissions.notifications.has_permission",
	# An absence is recorded by the agent or a Responsable of its structure (permissions/absence.py).
	"Absence": [
		"suivi_social.permissions.structure.has_permission",
		"suivi_social.permissions.absence.has_permission",
	],
}

doc_events = {
	# Every record that carries a structure: structure from its link, never changed, links and
	# agents of that structure (permissions/structure.py explains why it cannot be a validate).
	"*": {
		"before_validate": "suivi_social.permissions.structure.garde_structure",
		# An Attach field names only a private file the user may download (permissions/pieces_jointes.py);
		# after the controller's validate, whose own check of a field names it better.
		"validate": "suivi_social.permissions.pieces_jointes.garder_champs_piece_jointe",
	},
	# Each attachment carries the structure of its record, for the File list (permissions/fichiers.py).
	"File": {"validate": "suivi_social.permissions.fichiers.renseigner_structure"},
	# Channels that act as another user or send a record out (permissions/canaux.py).
	"ToDo": {"before_validate": "suivi_social.permissions.canaux.garder_attribution"},
	"Comment": {"before_validate": "suivi_social.permissions.canaux.garder_mentions"},
	"Communication": {"before_insert": "suivi_social.permissions.canaux.garder_expediteur"},
	"Auto Email Report": {"before_validate": "suivi_social.permissions.canaux.garder_rapport_par_e_mail"},
	"User": {"before_validate": "suivi_social.permissions.canaux.sans_suivi_par_e_mail"},
	# Each View Log row carries the structure of the opened record (permissions/journal_consultations.py).
	"View Log": {"before_insert": "suivi_social.permissions.journal_consultations.renseigner_structure"},
	# A rappel or an appointment given to an absent agent reaches their colleague (continuite/).
	# (Accompagnement: in its own key below; one key per DocType, a second one would replace it.)
	"Rappel": {"on_update": "suivi_social.continuite.notifications.rappel_pour_un_absent"},
	# Each user has a default structure, pre-filled in every new record (permissions/structure.py).
	"User Permission": {
		"after_insert": "suivi_social.permissions.structure.garder_une_structure_par_defaut",
		"on_trash": "suivi_social.permissions.structure.garder_une_structure_par_defaut",
	},
	# The manager's no-code tools: app DocTypes only, nothing that runs code or crosses structures
	# (suivi_social/personnalisation/gardes.py; before_validate also runs with ignore_validate).
	"Custom Field": {"before_validate": "suivi_social.personnalisation.gardes.garder_champ_personnalise"},
	"Property Setter": {
		"before_validate": "suivi_social.personnalisation.gardes.garder_propriete",
		"on_trash": "suivi_social.personnalisation.gardes.garder_suppression_de_propriete",
	},
	"Print Format": {"before_validate": "suivi_social.personnalisation.gardes.garder_format_d_impression"},
	"Report": {"before_validate": "suivi_social.personnalisation.gardes.garder_rapport"},
	"Notification": {"before_validate": "suivi_social.personnalisation.gardes.garder_notification"},
	"Dashboard Chart": {"before_validate": "suivi_social.personnalisation.gardes.garder_graphique"},
	"Number Card": {"before_validate": "suivi_social.personnalisation.gardes.garder_carte"},
	"List View Settings": {
		"before_validate": "suivi_social.personnalisation.gardes.garder_reglages_de_liste"
	},
	# Two-factor authentication stays required per role, not from every user (durcissement.py).
	"System Settings": {"on_update": "suivi_social.durcissement.appliquer_double_authentification"},
	# The yearly activity report is kept until what it counts changes (statistiques/memoire.py).
	"Accompagnement": {
		# An appointment given to an absent agent reaches their colleague (continuite/).
		"on_update": "suivi_social.continuite.notifications.rendez_vous_pour_un_absent",
		"on_change": "suivi_social.statistiques.memoire.accompagnement_modifie",
		"on_trash": "suivi_social.statistiques.memoire.accompagnement_supprime",
	},
	# Also the reception search's index of names and phones (accueil/jetons.py); the legacy import
	# writes it in bulk (imports/ecriture.py). One key per DocType: a second one would replace this.
	"Beneficiaire": {
		"on_change": "suivi_social.statistiques.memoire.beneficiaire_modifie",
		"on_update": "suivi_social.accueil.jetons.apres_enregistrement",
		"on_trash": [
			"suivi_social.statistiques.memoire.beneficiaire_supprime",
			"suivi_social.accueil.jetons.apres_suppression",
		],
		"after_rename": "suivi_social.accueil.jetons.apres_renommage",
	},
	"Type Accompagnement": {
		"on_change": "suivi_social.statistiques.memoire.typologie_modifiee",
		"on_trash": "suivi_social.statistiques.memoire.typologie_supprimee",
	},
}

# Customize Form writes some changes without hooks, and Notifications send as anyone: both checked
# in their class (suivi_social/personnalisation/formulaire.py, notification.py).
override_doctype_class = {
	# Attachments of the app's records: private, « confidentiel », no alias to another's private file
	# (permissions/pieces_jointes.py).
	"File": "suivi_social.permissions.pieces_jointes.Fichier",
	"Customize Form": "suivi_social.personnalisation.formulaire.PersonnaliserFormulaire",
	"Notification": "suivi_social.personnalisation.notification.NotificationDeStructure",
}
doctype_js = {"Customize Form": "public/js/personnaliser_formulaire.js"}
# Sharing is off (install.SECURITY_SETTINGS): the form sidebar's « Partager » is hidden (permissions/canaux.py).
# accessibilite.js/.css: fixes of the desk for screen readers and contrast (docs/accessibilite.md).
app_include_js = ["/assets/suivi_social/js/sans_partage.js", "/assets/suivi_social/js/accessibilite.js"]
# Datetime fields without the site's time zone, the user's own name in Link fields (public/js/bureau.js).
app_include_js += ["/assets/suivi_social/js/bureau.js"]
# The server's lists the forms need (boot.py), read once per session instead of copied in JS.
extend_bootinfo = "suivi_social.boot.completer_boot"
app_include_css = ["/assets/suivi_social/css/accessibilite.css"]

# The fingerprints of imported rows (imports/) never prevent deleting or erasing a file.
ignore_links_on_delete = ["Ligne Importee"]

# Leaks of Frappe 15.44.2's whitelisted methods, closed in suivi_social/overrides.py.
override_whitelisted_methods = {
	"frappe.client.get_count": "suivi_social.overrides.get_count",
	"frappe.desk.search.get_link_title": "suivi_social.overrides.get_link_title",
	"frappe.desk.form.load.getdoc": "suivi_social.overrides.getdoc",
	"frappe.desk.form.load.get_docinfo": "suivi_social.overrides.get_docinfo",
	"frappe.desk.listview.get_group_by_count": "suivi_social.overrides.get_group_by_count",
	"frappe.contacts.doctype.address.address.get_default_address": "suivi_social.overrides.get_default_address",
	# Writes that returned the saved document with its confidential fields (frappe_fixes, fix 8).
	**{
		f"frappe.client.{m}": f"suivi_social.overrides.{m}"
		for m in ("set_value", "insert", "save", "submit", "cancel")
	},
	# Every export logged, confidential child fields kept out (suivi_social/exports.py).
	"frappe.desk.query_report.export_query": "suivi_social.exports.export_query",
	"frappe.core.doctype.access_log.access_log.make_access_log": "suivi_social.exports.make_access_log",
	"frappe.core.doctype.data_import.data_import.download_template": "suivi_social.exports.download_template",
	"frappe.core.doctype.data_export.exporter.export_data": "suivi_social.exports.export_data",
	# Every download of a document logged (suivi_social/telechargements.py).
	"frappe.handler.download_file": "suivi_social.telechargements.download_file",
	"download_file": "suivi_social.telechargements.download_file",
	"frappe.utils.weasyprint.download_pdf": "suivi_social.telechargements.download_pdf",
	# Customize Form's form builder, for the Responsable (suivi_social/personnalisation/api.py).
	"frappe.core.doctype.doctype.doctype.get_row_size_utilization": "suivi_social.personnalisation.api.get_row_size_utilization",
	# Frappe's zip of files checks no permission hook: confidential attachments (permissions/pieces_jointes.py).
	"frappe.core.api.file.zip_files": "suivi_social.permissions.pieces_jointes.zip_files",
	# Reads and writes of other structures' records without a check (overrides.py, end of file).
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": "suivi_social.overrides.get_workflow_state_count",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "suivi_social.overrides.get_tagged_docs",
	"frappe.desk.doctype.tag.tag.add_tag": "suivi_social.overrides.add_tag",
	"frappe.desk.doctype.tag.tag.add_tags": "suivi_social.overrides.add_tags",
	"frappe.desk.doctype.tag.tag.remove_tag": "suivi_social.overrides.remove_tag",
	"frappe.desk.like.toggle_like": "suivi_social.overrides.toggle_like",
	"frappe.desk.form.document_follow.get_follow_users": "suivi_social.overrides.get_follow_users",
	"frappe.desk.form.document_follow.follow_document": "suivi_social.overrides.follow_document",
	"frappe.desk.form.document_follow.unfollow_document": "suivi_social.overrides.unfollow_document",
	"frappe.client.validate_link": "suivi_social.overrides.validate_link",
	"frappe.desk.doctype.event.event.get_events": "suivi_social.overrides.get_events",
	"frappe.email.relink": "suivi_social.overrides.relink",
}

# Fixes to Frappe itself (suivi_social/frappe_fixes.py), applied in every process.
before_request = ["suivi_social.frappe_fixes.apply", "suivi_social.frappe_fixes.nettoyer_requete"]
before_job = ["suivi_social.frappe_fixes.apply"]
# PDFs built without fetching anything from the site over HTTP (suivi_social/impression.py).
before_request += ["suivi_social.impression.apply"]
before_job += ["suivi_social.impression.apply"]
# REST bodies checked before Frappe's handler, and security headers on every response
# (suivi_social/durcissement.py).
before_request += ["suivi_social.durcissement.apply", "suivi_social.durcissement.verifier_corps_rest"]
after_request = ["suivi_social.durcissement.entetes_de_securite"]
# A file read whole through the REST API is logged as an opening (permissions/journal_consultations.py).
after_request += ["suivi_social.permissions.journal_consultations.journaliser_lecture_rest"]

# Every Bénéficiaire Link field searches with the reception's engine (accueil/recherche.py).
standard_queries = {"Beneficiaire": "suivi_social.accueil.recherche.search_link_query"}

# The file's timeline also lists its accompaniments and rappels (dossiers/timeline.py).
additional_timeline_content = {"Beneficiaire": ["suivi_social.dossiers.timeline.historique"]}

# Retention of the access logs (Log Settings, cleared daily by Frappe; a manager may change the
# number of days there). One year: the CNIL recommends keeping access logs 6 months to 1 year
# (« Recommandation relative aux mesures de journalisation », 2021) — long enough to investigate
# an access reported late, short enough not to keep a record of every agent's reading for good.
default_log_clearing_doctypes = {"Access Log": 365, "View Log": 365}

scheduler_events = {
	"daily": [
		"suivi_social.dossiers.doctype.beneficiaire.beneficiaire.rafraichir_syntheses_echues",
		# Archive, then anonymise, the inactive files of the structures that chose it (rgpd/conservation.py).
		"suivi_social.rgpd.conservation.conservation_quotidienne",
	],
	"cron": {
		# Each morning at 07:00 (system time zone): rappels due today in the desk, one mail per agent
		# (dossiers/rappels_du_matin.py).
		"0 7 * * *": ["suivi_social.dossiers.rappels_du_matin.envoyer_les_rappels_du_jour"],
		# Each afternoon at 17:00: tomorrow's appointments reminded to the persons who consented, by
		# SMS or e-mail, once (dossiers/rendez_vous.py).
		"0 17 * * *": ["suivi_social.dossiers.rendez_vous.envoyer_rappels_beneficiaires"],
	},
}
