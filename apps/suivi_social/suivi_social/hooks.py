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
