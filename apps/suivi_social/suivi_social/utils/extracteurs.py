"""Babel extractors for what Frappe v15's own (frappe/gettext/extractors, listed in frappe's
babel_extractors.csv) leave out: desk pages' titles, number cards' labels, dashboard charts' names,
and the Frappe strings this app translates again (locale/frappe_retraduit.csv).

Declared in apps/suivi_social/babel_extractors.csv, which `bench generate-pot-file --app
suivi_social` reads before Frappe's list (frappe.gettext.translate.get_method_map): so main.pot
holds every string an agent reads, `bench update-po-files` keeps their French in fr.po, and
tests/foundation/test_traductions.py checks that none is left without it.
"""

import csv
import io
import json


def _document(fileobj, doctype: str) -> dict:
	data = json.load(fileobj)
	return data if isinstance(data, dict) and data.get("doctype") == doctype else {}


def page(fileobj, keywords, comment_tags, options):
	"""The title of a desk page (`frappe.ui.make_app_page({title: __(...)})` repeats it, but the
	sidebar and the awesome bar read it from the Page record)."""
	if title := _document(fileobj, "Page").get("title"):
		yield None, "_", title, ["Title of a Page"]


def number_card(fileobj, keywords, comment_tags, options):
	if label := _document(fileobj, "Number Card").get("label"):
		yield None, "_", label, ["Label of a Number Card"]


def dashboard_chart(fileobj, keywords, comment_tags, options):
	"""A chart's name is its title wherever no label is given (the chart's own page, the
	Dashboard Chart list), and it is ASCII-only in some of ours."""
	if name := _document(fileobj, "Dashboard Chart").get("chart_name"):
		yield None, "_", name, ["Name of a Dashboard Chart"]


def frappe_retraduit(fileobj, keywords, comment_tags, options):
	"""Frappe strings whose French (apps/frappe/frappe/locale/fr.po) is missing or clumsy on the
	screens agents use: one per row, `msgid[,context]`, lines starting with # are comments. Our
	fr.po is loaded after Frappe's (frappe.translate.get_translations_from_apps), so its msgstr wins.
	A Frappe call that passes a context (`__("New", null, "…")`) is looked up under that context
	first: the row must then carry the same context."""
	texte = io.TextIOWrapper(fileobj, encoding="utf-8")
	for numero, ligne in enumerate(csv.reader(texte), start=1):
		if not ligne or ligne[0].startswith("#"):
			continue
		msgid, contexte = ligne[0], (ligne[1] if len(ligne) > 1 else "")
		commentaire = ["Frappe string translated again by Suivi social"]
		if contexte:
			yield numero, "pgettext", (contexte, msgid), commentaire
		else:
			yield numero, "_", msgid, commentaire
