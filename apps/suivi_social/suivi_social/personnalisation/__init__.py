"""Frappe's no-code tools for the Responsable de structure, on the app's DocTypes only.

Each CCAS shapes its own forms, letters, notifications, reports and figures (issue 8): Customize
Form, Custom Field, Property Setter, Print Format (Jinja and the Print Format Builder), Report
Builder reports, Notification, Dashboard Chart, Number Card and List View Settings. Frappe reserves
them to System Manager, a role that can also change any user's roles, run the System Console and
read every structure's data. The Responsable is not given that role, nor a copy of it. Instead:

1. The role gets the DocType permissions of these tools and nothing else (droits.py: Custom DocPerm
   rows written on every migrate, Custom Role for the Print Format Builder pages). It has no right on
   User, Has Role, Role, Custom DocPerm, User Permission, Server Script, Client Script, System
   Console, Auto Email Report, Data Import, Report (Query and Script Reports), DocType or
   Translation, so all of these stay refused by Frappe's own permission check.

2. Checks refuse what those permissions would allow beyond the app (gardes.py, doc_events
   `before_validate`, which also runs for documents saved with ignore_permissions or
   ignore_validate, and a has_permission hook for changes and deletions):
   - the target DocType must belong to the app's modules: never User, ToDo, File or any core DocType;
   - nothing that runs code: no Query or Script Report, no JS print format, no raw printing, no
     virtual field, no Code field, no chart or card running a method or a report; templates,
     HTML and conditions are checked against allowlists (modeles.py explains why Frappe's Jinja
     sandbox is not enough: its globals read and write the whole database);
   - nothing that crosses structures or lowers confidentiality: no field in global search, no
     field ignoring User Permissions, no unique field, no value copied ("fetch from") from outside the
     app or from a more confidential field, no confidential field in search, title or sort; the
     permlevel of a built-in field may be raised, never lowered (the Agent d'accueil would see what
     the app or the System Manager hid); the audit trail stays on; naming stays opaque.
   Customize Form writes some changes without any hook; its class is overridden to check them
   (formulaire.py).

3. Objects that run as someone else are bounded: a Notification belongs to a structure and sends
   only its documents, to users who may read them (notification.py); Report Builder reports,
   Number Cards and Dashboard Charts compute through frappe.get_list as the viewing user, so the
   structure criterion and field permissions of the viewer apply (tests/securite/
   test_outils_responsable.py checks it).

A custom field marked confidential (permlevel 1) is then hidden from the Agent d'accueil as the
built-in confidential fields are: by Frappe's field-level permissions, in forms, lists, Report
Builder and exports, and by the app's fix on filters (frappe_fixes.py).

Customisations are data (Custom Field, Property Setter…), never fixtures of the app: `bench migrate`
re-syncs the app's DocType JSON and leaves them, and their columns, untouched.

The System Manager (the platform operator) keeps every power of Frappe's tools."""
