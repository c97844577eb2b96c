"""The "PDF" button over HTTP: a real PDF for the roles that may print, without what the Agent
d'accueil may not see, and a refusal (403, not 500) for another structure's file.

Frappe 15.44.2 makes wkhtmltopdf fetch the print stylesheet back from the request's host
(suivi_social/impression.py says why). These requests come in under a host name that can never
resolve (RFC 6761 reserves `.invalid`): without the fix, every PDF answers 500, whatever is
listening on the machine."""

import base64
import re
import shutil
import subprocess
import unicodedata
from threading import Thread
from unittest.mock import patch

import frappe
import pdfkit
import pytest
from frappe.utils import fmt_money, get_url, strip_html
from frappe.utils.jinja_globals import bundled_asset
from werkzeug.test import Client

from tests.conftest import TEST_SITE
from tests.securite import test_http

HOTE = "ccas.invalid"
DOWNLOAD_PDF = "/api/method/frappe.utils.print_format.download_pdf"

# The API keys of test_http (ts-a, acc-a, resp-a).
cles = test_http.cles


def get(token: str, path: str, **params):
	"""As test_http.get, under the host name HOTE."""
	from frappe.app import application

	result = {}

	def run():
		with patch("frappe.app.get_site_name", return_value=TEST_SITE):
			result["response"] = Client(application).get(
				path, query_string=params, headers={"Authorization": token, "Host": HOTE}
			)

	thread = Thread(target=run)
	thread.start()
	thread.join()
	return result["response"]


def texte_du_pdf(pdf: bytes) -> str:
	if not shutil.which("pdftotext"):
		pytest.fail("pdftotext absent : installez poppler-utils (./suivi setup le fait).")
	texte = subprocess.run(
		["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
	).stdout.decode()
	# pdftotext gives ligatures as such ("ﬁ" in "Bénéﬁciaire"), and the PDF may cut lines anywhere.
	return " ".join(unicodedata.normalize("NFKC", texte).split())


def pdf(token: str, doctype: str, name: str) -> str:
	r = get(token, DOWNLOAD_PDF, doctype=doctype, name=name)
	assert r.status_code == 200, r.get_data(as_text=True)[-2000:]
	assert r.headers["Content-Type"].startswith("application/pdf")
	assert r.data.startswith(b"%PDF-")
	return texte_du_pdf(r.data)


@pytest.fixture(scope="module")
def dossier(_monde):
	"""What the world's file and aid hold, read from the database (the requests see only that)."""
	ben = _monde.ben_a
	acc = frappe.db.get_value(
		"Accompagnement", _monde.acc_ben_a, ["compte_rendu", "montant_demande"], as_dict=True
	)
	valeurs = frappe._dict(
		nom_complet=frappe.db.get_value("Beneficiaire", ben.name, "nom_complet"),
		nir=frappe.db.get_value("Beneficiaire", ben.name, "numero_securite_sociale"),
		compte_rendu=strip_html(acc.compte_rendu).strip(),
		montant=fmt_money(acc.montant_demande),
	)
	assert valeurs.nir and valeurs.compte_rendu and acc.montant_demande
	return valeurs


def test_pdf_du_beneficiaire(monde, cles, dossier):
	ben = monde.ben_a.name
	texte = pdf(cles[monde.ts_a], "Beneficiaire", ben)
	assert "Bénéficiaire" in texte and ben in texte and dossier.nom_complet in texte
	assert dossier.nir in texte.replace(" ", "")

	texte = pdf(cles[monde.acc_a], "Beneficiaire", ben)
	assert "Bénéficiaire" in texte and ben in texte and dossier.nom_complet in texte
	assert dossier.nir not in texte.replace(" ", "")
	assert "sécurité sociale" not in texte


def test_pdf_de_l_accompagnement(monde, cles, dossier):
	acc = monde.acc_ben_a
	texte = pdf(cles[monde.ts_a], "Accompagnement", acc)
	assert "Accompagnement" in texte and acc in texte and dossier.nom_complet in texte
	assert "Aide d'urgence" in texte
	assert dossier.compte_rendu in texte and dossier.montant in texte

	texte = pdf(cles[monde.acc_a], "Accompagnement", acc)
	assert "Accompagnement" in texte and acc in texte and dossier.nom_complet in texte
	assert dossier.compte_rendu not in texte and dossier.montant not in texte
	assert "Montant" not in texte and "Compte rendu" not in texte


def test_pdf_d_une_autre_structure_refuse(monde, cles):
	for doctype, name in (("Beneficiaire", monde.ben_b.name), ("Accompagnement", monde.acc_ben_b)):
		r = get(cles[monde.ts_a], DOWNLOAD_PDF, doctype=doctype, name=name)
		assert r.status_code == 403, (doctype, r.status_code)
		assert b"%PDF" not in r.data


def test_wkhtmltopdf_ne_va_rien_chercher_sur_le_site(monde, cles):
	with patch("pdfkit.from_string", wraps=pdfkit.from_string) as wkhtmltopdf:
		pdf(cles[monde.ts_a], "Accompagnement", monde.acc_ben_a)
	html = wkhtmltopdf.call_args.args[0]
	feuilles = re.findall(r"<link\b[^>]*>", html)
	assert feuilles and all('href="data:text/css;base64,' in link for link in feuilles)
	# Only the page's own links (<a href>, never fetched) may still name the site.
	sans_liens = re.sub(r"<a\b[^>]*>", "", html)
	assert HOTE not in sans_liens and TEST_SITE not in sans_liens


def test_la_vue_d_impression_du_bureau(monde, cles, dossier):
	"""/printview (the desk's print preview) is untouched: a page with its stylesheet link."""
	ben = monde.ben_a.name
	r = get(cles[monde.ts_a], "/printview", doctype="Beneficiaire", name=ben)
	assert r.status_code == 200
	html = r.get_data(as_text=True)
	assert dossier.nom_complet in html and dossier.nir in html
	assert bundled_asset("print.bundle.css") in html
	r = get(cles[monde.acc_a], "/printview", doctype="Beneficiaire", name=ben)
	assert r.status_code == 200
	html = r.get_data(as_text=True)
	assert dossier.nom_complet in html and dossier.nir not in html


def test_ressources_du_site_incorporees_les_autres_laissees(monde):
	from suivi_social.impression import VIDE, rendre_autonome

	site = get_url()
	html = rendre_autonome(
		f"""<html><head><link rel="stylesheet" href="{site}{bundled_asset("print.bundle.css")}"></head>
		<body><img src="/assets/frappe/images/frappe-framework-logo.png">
		<img src="{site}/files/n-existe-pas.png">
		<div style="background-image: url('{site}/assets/frappe/images/background.png') !important"></div>
		<img src="https://exemple.org/logo.png"><a href="{site}/app/beneficiaire">lien</a></body></html>"""
	)
	feuille = re.search(r'<link\b[^>]*href="data:text/css;base64,([^"]+)"', html)
	assert feuille and ".print-format" in base64.b64decode(feuille.group(1)).decode()
	assert 'src="data:image/png;base64,' in html
	assert f'src="{VIDE}"' in html
	assert 'url("data:image/png;base64,' in html
	assert 'src="https://exemple.org/logo.png"' in html and f'href="{site}/app/beneficiaire"' in html
