"""A desk notification (the bell) is read by its addressee only, whatever the path: Frappe
15.44.2 filtered the list but let any desk user open another user's notification by its name
(permissions/notifications.py; found by test_balayage.py)."""

from unittest.mock import patch

import frappe
import pytest
from frappe.desk.form.load import getdoc

from tests.conftest import as_user


@pytest.fixture
def notification_de_b(monde):
	with patch("frappe.sendmail"):  # Frappe mails the notification; the test site has no account
		return frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": monde.ts_b,
				"subject": "Relancer Mme Bernard pour son dossier APA",
				"document_type": "Beneficiaire",
				"document_name": monde.ben_b.name,
			}
		).insert(ignore_permissions=True)


def test_la_notification_d_un_autre_agent_est_refusee(monde, notification_de_b):
	with as_user(monde.resp_a):
		assert not frappe.has_permission("Notification Log", "read", notification_de_b.name)
		with pytest.raises(frappe.PermissionError):
			frappe.client.get("Notification Log", notification_de_b.name)
		with pytest.raises(frappe.PermissionError):
			getdoc("Notification Log", notification_de_b.name)
		assert notification_de_b.name not in frappe.get_list("Notification Log", pluck="name")


def test_son_destinataire_la_lit(monde, notification_de_b):
	with as_user(monde.ts_b):
		assert frappe.client.get("Notification Log", notification_de_b.name)["subject"].startswith("Relancer")
