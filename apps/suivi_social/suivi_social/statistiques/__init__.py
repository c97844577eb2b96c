"""Statistics of activity: the standard Script Reports (report/) and the yearly activity report
(rapport_annuel.py, page/rapport_activite) are built from one set of aggregation functions
(agregats.py) over one definition of what is counted (perimetre.py).

Every figure is computed by the database (GROUP BY and aggregates through `frappe.get_list`), never
by looping over documents in Python, and every query goes through `frappe.get_list`, so that the
structure criterion (permission hooks, strict User Permissions) and field-level permissions apply
to whoever asks. Amounts (permlevel 1 on Accompagnement) and resources (permlevel 1 on
Beneficiaire) are not even queried for a user without that level."""
