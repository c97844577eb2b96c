"""pytest drives Frappe on the dedicated test site (FRAPPE-NOTES §9).

Once per session: chdir into sites/ (Frappe's log paths are relative), init and connect the test
site. Around each test: roll back, and come back to Administrator, so that no test sees another's
data. Tests act as real role users through the `as_user` helper, never as a System Manager.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent
SITES = BENCH / "sites"
TEST_SITE = os.environ.get("SUIVI_TEST_SITE", "tests.localhost")


def pytest_configure(config):
	import json

	if TEST_SITE == "suivi.localhost":
		pytest.exit("Les tests ne tournent jamais sur le site de démonstration.", returncode=2)
	site_config = SITES / TEST_SITE / "site_config.json"
	if not site_config.exists():
		pytest.exit(f"Site de test {TEST_SITE} absent : lancez « ./suivi test ».", returncode=2)
	if not json.loads(site_config.read_text()).get("allow_tests"):
		pytest.exit(f"Le site {TEST_SITE} n'a pas allow_tests : ce n'est pas un site de test.", returncode=2)


@pytest.fixture(scope="session", autouse=True)
def frappe_site():
	import frappe

	cwd = os.getcwd()
	os.chdir(SITES)
	frappe.init(site=TEST_SITE, sites_path=str(SITES))
	frappe.connect()
	frappe.flags.in_test = True
	frappe.flags.mute_emails = True
	# Agents work in French: Frappe's own messages are checked in French too.
	frappe.local.lang = "fr"
	frappe.set_user("Administrator")
	yield frappe
	frappe.db.rollback()
	frappe.destroy()
	os.chdir(cwd)


@pytest.fixture(autouse=True)
def rollback(frappe_site):
	"""Each test starts from the committed state and leaves nothing behind."""
	frappe = frappe_site
	frappe.set_user("Administrator")
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.flags.pop("ignore_permissions", None)
	# Caches that a test may have filled with rows the rollback removed.
	frappe.cache.delete_value("user_permissions")
	frappe.local.role_permissions = {}
	# Answers kept "for the request" (frappe.utils.caching.request_cache, frappe_fixes fix 10): the
	# test session is one long request, and a rollback does not empty them as clear_cache does.
	if getattr(frappe.local, "request_cache", None) is not None:
		frappe.local.request_cache.clear()


@contextmanager
def as_user(user: str):
	import frappe

	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


@pytest.fixture(scope="session")
def _monde(frappe_site):
	"""Built once per run and committed (idempotent), so that each test only rolls back its own work."""
	from tests.factories import Monde

	world = Monde()
	frappe_site.db.commit()
	return world


@pytest.fixture
def monde(_monde, rollback):
	return _monde


@pytest.fixture(scope="session", autouse=True)
def _frappe_fixes(frappe_site):
	# What the before_request / before_job hooks do in the web and worker processes.
	from suivi_social import frappe_fixes

	frappe_fixes.apply()


@pytest.fixture
def messagerie(frappe_site):
	"""An outgoing e-mail account, as a CCAS site has (the test site has none). Nothing is sent: the
	tests read the Email Queue, and the test process mutes e-mails. Rolled back with the test."""
	frappe = frappe_site
	# Frappe keeps the account it found in the process (frappe.local): found again from the database.
	frappe.local.outgoing_email_account = {}
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "CCAS (test)",
			"email_id": "ccas@test.fr",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)
	yield
	frappe.local.outgoing_email_account = {}


def rendre_la_requete(requete) -> None:
	"""Put back the request a test found: none means no attribute at all, as outside a request
	(Frappe's code checks hasattr(frappe.local, "request"), then reads its environ)."""
	import frappe

	if requete is None:
		try:
			del frappe.local.request
		except AttributeError:
			pass
	else:
		frappe.local.request = requete
