"""No request may turn permission checks off (frappe_fixes, fix 4), on every DocType of the site.

Frappe 15.44.2's search_link / search_widget honour `ignore_user_permissions=1` sent by the client:
a Travailleur social of structure A then read, from structure B, the names of files attached to
B's records (File), B's assignment descriptions (ToDo), notification subjects (Notification Log) and
e-mail subjects (Communication). The rule is not a list of DocTypes: the flag is removed from every
request, and this file checks it over every DocType the site has, so that a DocType added later is
covered without anyone remembering it."""

import frappe
import pytest

from tests.securite.test_http import cles, get

# A word that only B's traces contain: found in any answer to a user of A, it is a leak.
MARQUEUR = "Zorglubienne"


@pytest.fixture(scope="module")
def traces_b(_monde):
	"""Records of structure B in the DocTypes whose visibility depends on another record."""
	ben_b = _monde.ben_b.name
	created = []

	def make(values):
		doc = frappe.get_doc(values).insert(ignore_permissions=True)
		created.append(doc)
		return doc

	make(
		{
			"doctype": "File",
			"file_name": f"attestation-{MARQUEUR}.txt",
			"content": b"B",
			"attached_to_doctype": "Beneficiaire",
			"attached_to_name": ben_b,
			"is_private": 1,
		}
	)
	todo = make(
		{
			"doctype": "ToDo",
			"allocated_to": _monde.ts_b,
			"reference_type": "Beneficiaire",
			"reference_name": ben_b,
			"description": f"Appeler Mme {MARQUEUR} pour son dossier",
		}
	)
	make(
		{
			"doctype": "Notification Log",
			"for_user": _monde.ts_b,
			"subject": f"Rappel : dossier {MARQUEUR}",
			"document_type": "Beneficiaire",
			"document_name": ben_b,
			"type": "Alert",
		}
	)
	make(
		{
			"doctype": "Communication",
			"subject": f"Courrier à Mme {MARQUEUR}",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"reference_doctype": "Beneficiaire",
			"reference_name": ben_b,
		}
	)
	make(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": "Beneficiaire",
			"reference_name": ben_b,
			"content": f"Mme {MARQUEUR} a appelé",
		}
	)
	frappe.db.commit()
	yield frappe._dict(todo=todo.name)
	for doc in reversed(created):
		frappe.delete_doc(doc.doctype, doc.name, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.db.commit()


def doctypes_du_site() -> list[str]:
	return frappe.get_all(
		"DocType", filters={"istable": 0, "issingle": 0, "is_virtual": 0}, pluck="name", order_by="name"
	)


def recherche(token: str, method: str, doctype: str, **flags):
	r = get(
		token, f"/api/method/frappe.desk.search.{method}", doctype=doctype, txt="", page_length=500, **flags
	)
	return r.status_code, r.json.get("message") if r.is_json else r.text


@pytest.mark.parametrize("method", ["search_link", "search_widget"])
def test_ignore_user_permissions_sans_effet_sur_chaque_doctype(monde, cles, traces_b, method):  # noqa: F811
	"""For every DocType, the flag changes nothing to what a user of A gets, and B never shows."""
	token = cles[monde.ts_a]
	doctypes = doctypes_du_site()
	assert {"File", "ToDo", "Notification Log", "Communication", "Beneficiaire"} <= set(doctypes)
	differences, fuites = [], []
	for doctype in doctypes:
		sans = recherche(token, method, doctype)
		avec = recherche(token, method, doctype, ignore_user_permissions=1)
		if avec != sans:
			differences.append(doctype)
		if MARQUEUR in str(avec[1]) or monde.ben_b.name in str(avec[1]):
			fuites.append(doctype)
	assert not differences, f"ignore_user_permissions change le résultat pour : {differences}"
	assert not fuites, f"Données de la structure B visibles par A dans : {fuites}"


def test_le_responsable_non_plus(monde, cles, traces_b):  # noqa: F811
	token = cles[monde.resp_a]
	for doctype in ("File", "ToDo", "Notification Log", "Communication", "Comment", "Beneficiaire"):
		status, message = recherche(token, "search_link", doctype, ignore_user_permissions=1)
		assert MARQUEUR not in str(message), doctype
		assert monde.ben_b.name not in str(message), doctype


def test_le_drapeau_aurait_fuite_sans_la_regle(monde, traces_b):
	"""What the flag does in Frappe itself: the test above would catch it."""
	from frappe.desk.search import search_link

	from tests.conftest import as_user

	with as_user(monde.ts_a):
		trouves = search_link("ToDo", "", page_length=500, ignore_user_permissions=1)
		sans = search_link("ToDo", "", page_length=500)
	assert traces_b.todo in {r["value"] for r in trouves}
	assert traces_b.todo not in {r["value"] for r in sans}
