"""The self-contained documents printed to PDF (yearly activity report, right of access) share one
layout (templates/pdf/document.html), and every value typed by a user is escaped in it: a name
such as « <img src=x onerror=…> » must print as text, not run in wkhtmltopdf or in a browser."""

import frappe

HOSTILE = '<img src=x onerror="alert(1)">'
ECHAPPE = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"


def rendre(modele: str, d: dict, **contexte) -> str:
	html = frappe.render_template(modele, {"d": frappe._dict(d), **contexte})
	assert html.lstrip().startswith("<!DOCTYPE html>"), html[:200]
	assert 'font-family: "DejaVu Sans"' in html  # the shared layout's style
	assert HOSTILE not in html
	return html


def test_droit_d_acces_echappe_et_sur_la_mise_en_page_commune():
	fiche = {"sections": [{"titre": HOSTILE, "champs": [{"libelle": "Nom", "texte": HOSTILE}]}], "tables": []}
	html = rendre(
		"suivi_social/rgpd/droit_acces.html",
		{
			"titre": HOSTILE,
			"numero": "DEMO-00001",
			"structure": HOSTILE,
			"genere_le": "29/11/2026",
			"genere_par": "Claire Moreau",
			"complet": True,
			"dossier": fiche,
			"accompagnements": [],
			"rappels": [],
			"commentaires": [{"date": "", "auteur": "", "rattache_a": "", "texte": HOSTILE}],
			"documents": [],
		},
	)
	# Title, structure, a field's label and value, a comment: each escaped where it is printed.
	assert html.count(ECHAPPE) >= 5, html
	assert "table.champs" in html  # the document's own rules follow the layout's


def test_rapport_annuel_echappe_et_sur_la_mise_en_page_commune():
	html = rendre(
		"suivi_social/statistiques/rapport_annuel.html",
		{
			"titre": HOSTILE,
			"periode": "2026",
			"genere_le": "29/11/2026",
			"chiffres": [{"texte": "12", "libelle": HOSTILE}],
			"sections": [
				{
					"titre": HOSTILE,
					"colonnes": [{"cle": "t", "libelle": "Typologie", "type": "Data"}],
					"lignes": [{"t": HOSTILE}],
				}
			],
			"montants": True,
		},
		formater=lambda valeur, type_: valeur,
	)
	assert html.count(ECHAPPE) >= 4, html
	assert ".chiffres" in html
