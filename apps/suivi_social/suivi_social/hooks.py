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
)

permission_query_conditions = {
	"Structure": "suivi_social.permissions.structure.structure_query_conditions",
	"Compte Rendu Prive": "suivi_social.permissions.compte_rendu_prive.query_conditions",
	"File": "suivi_social.permissions.fichiers.query_conditions",
	**{doctype: "suivi_social.permissions.structure.query_conditions" for doctype in STRUCTURE_DOCTYPES},
}

has_permission = {
	"Structure": "suivi_social.permissions.structure.structure_has_permission",
	"Compte Rendu Prive": "suivi_social.permissions.compte_rendu_prive.has_permission",
	**{doctype: "suivi_social.permissions.structure.has_permission" for doctype in STRUCTURE_DOCTYPES},
}

doc_events = {
	# Every record that carries a structure: structure from its link, never changed, links and
	# agents of that structure (permissions/structure.py explains why it cannot be a validate).
	"*": {"before_validate": "suivi_social.permissions.structure.garde_structure"},
	# Each attachment carries the structure of its record, for the File list (permissions/fichiers.py).
	"File": {"validate": "suivi_social.permissions.fichiers.renseigner_structure"},
	# Each user has a default structure, pre-filled in every new record (permissions/structure.py).
	"User Permission": {
		"after_insert": "suivi_social.permissions.structure.garder_une_structure_par_defaut",
		"on_trash": "suivi_social.permissions.structure.garder_une_structure_par_defaut",
	},
}

# The fingerprints of imported rows (imports/) never prevent deleting or erasing a file.
ignore_links_on_delete = ["Ligne Importee"]

# Leaks of Frappe 15.44.2's whitelisted methods, closed in suivi_social/overrides.py.
override_whitelisted_methods = {
	"frappe.client.get_count": "suivi_social.overrides.get_count",
	"frappe.desk.search.get_link_title": "suivi_social.overrides.get_link_title",
	"frappe.desk.form.load.getdoc": "suivi_social.overrides.getdoc",
	"frappe.desk.form.load.get_docinfo": "suivi_social.overrides.get_docinfo",
	"frappe.desk.listview.get_group_by_count": "suivi_social.overrides.get_group_by_count",
}

# Fixes to Frappe itself (suivi_social/frappe_fixes.py), applied in every process.
before_request = ["suivi_social.frappe_fixes.apply", "suivi_social.frappe_fixes.nettoyer_requete"]
before_job = ["suivi_social.frappe_fixes.apply"]
# PDFs built without fetching anything from the site over HTTP (suivi_social/impression.py).
before_request += ["suivi_social.impression.apply"]
before_job += ["suivi_social.impression.apply"]

# The file's timeline also lists its accompaniments and rappels (dossiers/timeline.py).
additional_timeline_content = {"Beneficiaire": ["suivi_social.dossiers.timeline.historique"]}

scheduler_events = {
	"daily": ["suivi_social.dossiers.doctype.beneficiaire.beneficiaire.rafraichir_syntheses_echues"],
}
