"""A desk notification (Notification Log, the bell) is read by the user it was sent to only.

Frappe 15.44.2 filters its lists on `for_user` (permission_query_conditions) but has no document
check: any desk user who may read the DocType opened another user's notification by its name
through getdoc, frappe.client.get or /api/resource, with its subject and content (a rappel's title,
a message left at the reception for another structure's agent). Found by the generated sweep
(tests/securite/test_balayage.py); the same rule as Frappe's list condition, as a document check."""

import frappe


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if user == "Administrator" or doc.for_user == user:
		return None
	return False
