"""Every string of the app has its French in locale/fr.po, and fr.po is a sound catalogue.

The strings are extracted as `bench generate-pot-file --app suivi_social` extracts them (Frappe's
babel extractors, plus the app's own in apps/suivi_social/babel_extractors.csv for pages, number
cards, charts and the Frappe strings translated again). The rule is plain: each one has a msgstr.
A string written in French in the source gets its own text as msgstr; that is a decision, taken
once per string, and it also keeps Frappe's French of the same msgid, if any, from showing instead.

To fix a failure: `bench generate-pot-file --app suivi_social`, `bench update-po-files --app
suivi_social --locale fr`, fill the empty msgstr in fr.po, then `bench compile-po-to-mo --app
suivi_social --force` and `bench --site <site> clear-cache`.
"""

import os
import re
from pathlib import Path

import frappe
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from frappe.gettext.translate import get_is_gitignored_function_for_app, get_method_map

APP = "suivi_social"
FR_PO = Path(frappe.get_app_path(APP, "locale", "fr.po"))
FRAPPE_FR_PO = Path(frappe.get_app_path("frappe", "locale", "fr.po"))
PLACEHOLDER = re.compile(r"\{\w*\}")
# Words spelt alike in French and in English, where Frappe's French is another sense: « Import »,
# the noun of our labels (Ligne importée), which Frappe translates as the verb « Importer ».
FRANCAIS_COMME_EN_ANGLAIS = {"Import"}


@pytest.fixture(scope="module")
def chaines_de_l_app() -> dict[tuple[str, str], str]:
	"""(msgid, context) -> where it was found, extracted like frappe.gettext.translate.generate_pot."""
	ignore = get_is_gitignored_function_for_app(APP)

	def dossier_lu(chemin) -> bool:
		nom = os.path.basename(chemin)
		return not (ignore(str(chemin)) or nom.startswith((".", "_")))

	keywords = DEFAULT_KEYWORDS.copy()
	keywords["_lt"] = None
	chaines = {}
	for fichier, ligne, message, _comments, context in extract_from_dir(
		frappe.get_pymodule_path(APP, ".."),
		get_method_map(APP) + get_method_map("frappe"),
		directory_filter=dossier_lu,
		keywords=keywords,
	):
		if message:
			chaines.setdefault((message, context or ""), f"{fichier}:{ligne}")
	return chaines


def lire_catalogue(chemin: Path):
	with chemin.open("rb") as f:
		return read_po(f, abort_invalid=True)


@pytest.fixture(scope="module")
def catalogue():
	return lire_catalogue(FR_PO)


def cle(message) -> tuple[str, str]:
	return (message.id, message.context or "")


def test_l_extraction_voit_toute_l_app(chaines_de_l_app):
	"""The extraction is not vacuous: DocType labels, Python, JS, workspace, pages, number cards,
	charts and the Frappe strings translated again are all found."""
	for attendu in (
		("Date de naissance", ""),  # a DocType label
		("né(e) le {0}", ""),  # Python
		("Rechercher une personne", ""),  # JavaScript
		("Importer d'anciens classeurs", ""),  # a workspace link
		("Rapport d'activité annuel", ""),  # a page title
		("Mes rappels du jour", ""),  # a number card
		("Beneficiaires par age", ""),  # a dashboard chart
		("Filter By", ""),  # Frappe's, translated again (locale/frappe_retraduit.csv)
		("Edit", "Button in list view actions menu"),  # with its context
	):
		assert attendu in chaines_de_l_app, attendu


def test_chaque_chaine_de_l_app_a_son_francais(chaines_de_l_app, catalogue):
	manquantes = [
		f"{msgid!r}{f' (contexte {ctx!r})' if ctx else ''} — {ou}"
		for (msgid, ctx), ou in sorted(chaines_de_l_app.items())
		if not ((m := catalogue.get(msgid, context=ctx or None)) and m.string)
	]
	assert not manquantes, (
		f"{len(manquantes)} chaîne(s) sans traduction dans {FR_PO.name} (voir la docstring de ce "
		"fichier pour la marche à suivre) :\n" + "\n".join(manquantes)
	)


def test_fr_po_ne_garde_que_des_chaines_de_l_app(chaines_de_l_app, catalogue):
	"""An entry nothing extracts would be dropped by the next `bench update-po-files`: a Frappe
	string translated again is declared in locale/frappe_retraduit.csv."""
	orphelines = sorted(cle(m) for m in catalogue if m.id and cle(m) not in chaines_de_l_app)
	assert not orphelines, orphelines


def test_fr_po_sans_doublon():
	"""Babel merges a repeated msgid silently, and Frappe's loader keeps the last: one entry each."""
	texte = FR_PO.read_text(encoding="utf-8")
	entrees = re.findall(r'^(?:msgctxt (".*")\n)?msgid (".*"(?:\n".*")*)\nmsgstr', texte, flags=re.M)
	vues, doublons = set(), []
	for entree in entrees:
		if entree in vues:
			doublons.append(entree)
		vues.add(entree)
	assert len(entrees) > 1000
	assert not doublons, doublons


def test_les_marques_de_substitution_sont_gardees(catalogue):
	"""« {0} » lost or renamed in the French would drop a value, or fail at format()."""
	fautives = [
		(m.id, m.string)
		for m in catalogue
		if m.id and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
	]
	assert not fautives, fautives


def test_aucune_chaine_de_frappe_rendue_a_son_anglais(catalogue):
	"""A msgstr equal to its msgid declares the string French. For a msgid Frappe translates (our
	code referring to one of its labels, « Set Permissions »), that would put its English back on
	every screen instead of Frappe's French."""
	frappe_fr = lire_catalogue(FRAPPE_FR_PO)
	rendues = [
		m.id
		for m in catalogue
		if m.id
		and m.string == m.id
		and m.id not in FRANCAIS_COMME_EN_ANGLAIS
		and (f := frappe_fr.get(m.id, context=m.context)) is not None
		and f.string
		and f.string != m.id
	]
	assert not rendues, rendues
