"""Rapport d'activité annuel: one year of one structure, for the conseil d'administration and the
funders, on screen (page/rapport_activite), as a PDF and as an Excel workbook.

One model, three renderings: `construire` gathers the figures through the same aggregation
functions as the Script Reports (agregats.py, nothing recomputed here) into a list of sections
(a title, columns, rows, an optional total and chart); the page draws them with Frappe charts,
the PDF with tables and server-side SVG charts (graphiques.py), the workbook with one sheet per
section. Anonymous: no beneficiary's name or identifier is ever read, only counts and sums; and
appointments are given as totals, not per agent.

Downloads are whitelisted methods with typed parameters: the structure criterion first (a
structure that is not the user's answers 403), then the role, and each download is written to
the Access Log (suivi_social.exports.journaliser), like Frappe's own exports."""

import io
from base64 import b64encode

import frappe
from frappe import _
from frappe.utils import flt, format_datetime, now_datetime

from suivi_social.statistiques import agregats, graphiques, memoire
from suivi_social.statistiques.perimetre import (
	PREMIERE_ANNEE,
	Perimetre,
	verifier_role_rapport_annuel,
	verifier_structure,
)

TITRE = "Rapport d'activité"


class AnneeInvalide(frappe.ValidationError):
	"""The year asked for is out of range."""


def verifier(annee: int, structure: str) -> Perimetre:
	"""The checks of every entry point, structure first."""
	verifier_structure(structure)
	verifier_role_rapport_annuel()
	if not structure:
		frappe.throw(_("Choisissez une structure."), frappe.ValidationError)
	if not PREMIERE_ANNEE <= annee <= now_datetime().year + 1:
		frappe.throw(_("Année invalide : {0}.").format(annee), AnneeInvalide)
	return Perimetre.annee(annee, structure)


def construire(annee: int, structure: str) -> frappe._dict:
	"""The figures of the year, as sections; see the module's docstring. Checked first, then
	counted, or read back when nothing they count has changed since (memoire.py)."""
	p = verifier(annee, structure)
	donnees = memoire.calculer_ou_relire(annee, structure, lambda: compter(p, annee, structure))
	# Exact whenever it was counted (memoire.py): dated by this request.
	donnees.genere_le = format_datetime(now_datetime(), "dd/MM/yyyy HH:mm")
	return donnees


def compter(p: Perimetre, annee: int, structure: str) -> frappe._dict:
	activite = agregats.activite_par_typologie(p)
	mois = agregats.activite_par_mois(p)
	profil = agregats.profil_beneficiaires(p)
	aides = agregats.aides_financieres(p)
	rdv = agregats.rendez_vous(p).total
	effectifs = profil.effectifs

	chiffres = [
		cle("Accompagnements", activite.accompagnements),
		cle("Bénéficiaires accompagnés", effectifs.beneficiaires),
		cle("Nouveaux bénéficiaires", effectifs.nouveaux),
		cle("Bénéficiaires déjà suivis", effectifs.deja_suivis),
		cle("Demandes d'aide financière", aides.total.demandes),
		cle("Aides accordées", aides.total.accordees),
	]
	if aides.montants:
		chiffres += [
			cle("Montant accordé", aides.total.montant_accorde, "Currency"),
			cle("Montant payé", aides.total.montant_paye, "Currency"),
		]
	chiffres += [
		cle("Rendez-vous honorés", rdv.honores),
		cle("Taux de présence aux rendez-vous", rdv.taux_presence, "Percent"),
	]

	sections = [
		section(
			"activite_mensuelle",
			"Activité mois par mois",
			[("libelle", "Mois", "Data"), ("accompagnements", "Accompagnements")],
			[{**m, "libelle": m.libelle.capitalize()} for m in mois],
			total={"accompagnements": activite.accompagnements},
			graphique=("barres", ["accompagnements"]),
			etiquettes=[m.court for m in mois],
		),
		section(
			"typologies",
			"Activité par typologie",
			[
				("libelle", "Typologie", "Data"),
				("accompagnements", "Accompagnements"),
				("beneficiaires", "Bénéficiaires"),
			],
			activite.lignes,
			total={"accompagnements": activite.accompagnements, "beneficiaires": activite.beneficiaires},
			graphique=("barres_horizontales", ["accompagnements"]),
			note="Un accompagnement qui relève de deux typologies compte dans chacune ; le total le compte une fois.",
		),
		repartition(
			"anciennete",
			"Nouveaux et déjà suivis",
			[
				frappe._dict(libelle=_("Nouveaux"), beneficiaires=effectifs.nouveaux),
				frappe._dict(libelle=_("Déjà suivis avant l'année"), beneficiaires=effectifs.deja_suivis),
			],
			effectifs.beneficiaires,
		),
		*(
			repartition(
				dimension,
				agregats.DIMENSIONS[dimension],
				profil.repartitions[dimension],
				effectifs.beneficiaires,
			)
			for dimension in ("tranche_age", "genre", "situation_familiale", "mode_hebergement", "commune")
		),
	]
	if profil.repartitions["ressources"] is not None:
		sections.append(
			repartition(
				"ressources",
				"Ressources",
				profil.repartitions["ressources"],
				effectifs.beneficiaires,
				total=False,
				note="Une personne qui a plusieurs ressources compte dans chacune.",
			)
		)
	sections.append(section_aides(aides))
	sections.append(
		section(
			"rendez_vous",
			"Rendez-vous",
			[("libelle", "Issue", "Data"), ("nombre", "Rendez-vous")],
			[
				{"libelle": _("Honorés"), "nombre": rdv.honores},
				{"libelle": _("Non honorés"), "nombre": rdv.non_honores},
				{"libelle": _("Annulés"), "nombre": rdv.annules},
				{"libelle": _("À venir"), "nombre": rdv.a_venir},
				{"libelle": _("Issue à renseigner"), "nombre": rdv.a_renseigner},
			],
			total={"nombre": rdv.rendez_vous},
			note=_("Taux de présence : {0} (honorés sur honorés et non honorés).").format(
				formater(rdv.taux_presence, "Percent")
			),
		)
	)
	return frappe._dict(
		annee=annee,
		structure=structure,
		titre=_("{0} {1} — {2}").format(_(TITRE), annee, structure),
		periode=p.libelle(),
		montants=aides.montants,
		chiffres=chiffres,
		sections=sections,
	)


def cle(libelle: str, valeur, type_: str = "Int") -> dict:
	return {"libelle": _(libelle), "valeur": valeur, "type": type_, "texte": formater(valeur, type_)}


def section(
	cle_section: str,
	titre: str,
	colonnes: list[tuple],
	lignes: list[dict],
	total: dict | None = None,
	graphique: tuple[str, list[str]] | None = None,
	note: str | None = None,
	etiquettes: list[str] | None = None,
) -> dict:
	"""A table: columns (field, label, type — Int unless said), rows, total row, chart (its kind,
	the columns drawn, and its labels: the first column's values unless given)."""
	colonnes = [{"cle": c[0], "libelle": _(c[1]), "type": c[2] if len(c) > 2 else "Int"} for c in colonnes]
	lignes = [{c["cle"]: ligne.get(c["cle"]) for c in colonnes} for ligne in lignes]
	if total is not None:
		total = {colonnes[0]["cle"]: _("Total"), **total}
	return {
		"cle": cle_section,
		"titre": _(titre),
		"colonnes": colonnes,
		"lignes": lignes,
		"total": total,
		"graphique": {
			"type": graphique[0],
			"series": graphique[1],
			"etiquettes": etiquettes or [str(ligne[colonnes[0]["cle"]]) for ligne in lignes],
		}
		if graphique
		else None,
		"note": _(note) if note else None,
	}


def repartition(
	cle_section: str, titre: str, rangees: list, effectif: int, total: bool = True, note: str | None = None
) -> dict:
	"""Beneficiaries per value of a dimension, with their share of the year's beneficiaries."""
	return section(
		cle_section,
		titre,
		[("libelle", titre, "Data"), ("beneficiaires", "Bénéficiaires"), ("part", "Part", "Percent")],
		[{**r, "part": agregats.taux(r.beneficiaires, effectif)} for r in rangees],
		total={"beneficiaires": effectif, "part": 100.0 if effectif else None} if total else None,
		graphique=("barres_horizontales", ["beneficiaires"]),
		note=note,
	)


def section_aides(aides) -> dict:
	colonnes = [
		("libelle", "Nature de l'aide", "Data"),
		("demandes", "Demandes"),
		("accordees", "Accordées"),
		("refusees", "Refusées"),
		("en_cours", "En cours"),
		("taux_refus", "Taux de refus", "Percent"),
	]
	if aides.montants:
		colonnes += [
			("montant_demande", "Montant demandé", "Currency"),
			("montant_accorde", "Montant accordé", "Currency"),
			("montant_paye", "Montant payé", "Currency"),
			("montant_moyen", "Montant moyen accordé", "Currency"),
		]
	return section(
		"aides",
		"Aides financières",
		colonnes,
		aides.lignes,
		total={k: v for k, v in aides.total.items()},
		graphique=("barres_horizontales", ["montant_accorde" if aides.montants else "demandes"]),
		note="Taux de refus : refusées sur décidées. Une demande qui relève de deux natures compte dans chacune ; "
		"le total la compte une fois.",
	)


def formater(valeur, type_: str) -> str:
	"""A value as the site shows it (French number and currency formats)."""
	if valeur is None:
		return "–"
	if type_ == "Percent":
		return frappe.format(flt(valeur, 1), {"fieldtype": "Float", "precision": 1}) + " %"
	if type_ in ("Currency", "Int"):
		return str(frappe.format(valeur, {"fieldtype": type_}))
	return str(valeur)


# --- Whitelisted entry points ---------------------------------------------------------------------


@frappe.whitelist()
def parametres() -> dict:
	"""What the page offers: the user's structures and the years."""
	from suivi_social.statistiques.perimetre import structures_accessibles

	verifier_role_rapport_annuel()
	annee = now_datetime().year
	return {
		"structures": [s.name for s in structures_accessibles()],
		"structure": frappe.defaults.get_user_default("Structure"),
		"annees": list(range(annee, annee - 10, -1)),
		"annee": annee,
	}


@frappe.whitelist()
def rapport_annuel(annee: int, structure: str) -> dict:
	"""The figures for the page."""
	return construire(annee, structure)


# POST: each download writes to the Access Log.
@frappe.whitelist(methods=["POST"])
def telecharger_pdf(annee: int, structure: str) -> None:
	donnees = construire(annee, structure)
	contenu = pdf(donnees)
	journaliser(donnees, "PDF", "telecharger_pdf")
	repondre(nom_fichier(donnees, "pdf"), contenu)


# POST: each download writes to the Access Log.
@frappe.whitelist(methods=["POST"])
def telecharger_excel(annee: int, structure: str) -> None:
	donnees = construire(annee, structure)
	contenu = classeur(donnees)
	journaliser(donnees, "XLSX", "telecharger_excel")
	repondre(nom_fichier(donnees, "xlsx"), contenu)


def journaliser(donnees: frappe._dict, type_fichier: str, methode: str) -> None:
	from suivi_social.exports import journaliser as journal

	journal(
		doctype="Structure",
		document=donnees.structure,
		report_name=_(TITRE),
		file_type=type_fichier,
		filters={"annee": donnees.annee, "structure": donnees.structure},
		method=f"suivi_social.statistiques.rapport_annuel.{methode}",
	)


def repondre(nom: str, contenu: bytes) -> None:
	frappe.local.response.filename = nom
	frappe.local.response.filecontent = contenu
	frappe.local.response.type = "download"


def nom_fichier(donnees: frappe._dict, extension: str) -> str:
	structure = frappe.scrub(donnees.structure).replace("_", "-")
	return f"rapport-activite-{donnees.annee}-{structure}.{extension}"


# --- PDF ------------------------------------------------------------------------------------------


def html(donnees: frappe._dict) -> str:
	"""Self-contained HTML: inline style, charts as SVG images (data: URIs), nothing to fetch."""
	for s in donnees.sections:
		s["svg"] = svg(s)
	return frappe.render_template(
		"suivi_social/statistiques/rapport_annuel.html", {"d": donnees, "formater": formater}
	)


def svg(s: dict) -> str | None:
	"""The section's chart as a data: URI (an <img>: wkhtmltopdf draws it without parsing SVG in
	the HTML)."""
	g = s.get("graphique")
	if not g or not s["lignes"]:
		return None
	libelles = {c["cle"]: c["libelle"] for c in s["colonnes"]}
	series = [(libelles[cle], [flt(ligne.get(cle)) for ligne in s["lignes"]]) for cle in g["series"]]
	if g["type"] == "barres":
		dessin = graphiques.barres_verticales(g["etiquettes"], series)
	else:
		dessin = graphiques.barres_horizontales(g["etiquettes"], series[0][1])
	return "data:image/svg+xml;base64," + b64encode(dessin.encode()).decode()


def pdf(donnees: frappe._dict) -> bytes:
	from frappe.utils.pdf import get_pdf

	return get_pdf(
		html(donnees),
		{"page-size": "A4", "margin-top": "15mm", "margin-bottom": "15mm", "title": donnees.titre},
	)


# --- Excel ----------------------------------------------------------------------------------------

FORMATS_EXCEL = {"Int": "#,##0", "Currency": '#,##0.00 "€"', "Percent": "0.0%"}


def classeur(donnees: frappe._dict) -> bytes:
	"""One sheet « Synthèse » (title, period, key figures), then one sheet per section, each with
	its table and a bar chart."""
	from openpyxl import Workbook
	from openpyxl.chart import BarChart, Reference
	from openpyxl.styles import Font, PatternFill
	from openpyxl.utils import get_column_letter

	gras = Font(bold=True)
	entete = PatternFill("solid", fgColor="DDE7F0")
	wb = Workbook()
	ws = wb.active
	ws.title = _("Synthèse")
	ws.append([donnees.titre])
	ws["A1"].font = Font(bold=True, size=14)
	ws.append([_("Période : {0}").format(donnees.periode)])
	ws.append([_("Produit le {0}. Chiffres anonymes : aucun nom de bénéficiaire.").format(donnees.genere_le)])
	ws.append([])
	ws.append([_("Chiffre clé"), _("Valeur")])
	for cellule in ws[5]:
		cellule.font, cellule.fill = gras, entete
	for chiffre in donnees.chiffres:
		ws.append([chiffre["libelle"], valeur_excel(chiffre["valeur"], chiffre["type"])])
		ws.cell(ws.max_row, 2).number_format = FORMATS_EXCEL.get(chiffre["type"], "General")
	ws.column_dimensions["A"].width = 42
	ws.column_dimensions["B"].width = 18

	noms = set()
	for s in donnees.sections:
		feuille = wb.create_sheet(nom_feuille(s["titre"], noms))
		feuille.append([s["titre"]])
		feuille["A1"].font = Font(bold=True, size=12)
		feuille.append([c["libelle"] for c in s["colonnes"]])
		for cellule in feuille[2]:
			cellule.font, cellule.fill = gras, entete
		for ligne in s["lignes"] + ([s["total"]] if s["total"] else []):
			feuille.append([valeur_excel(ligne.get(c["cle"]), c["type"]) for c in s["colonnes"]])
			for i, c in enumerate(s["colonnes"], start=1):
				feuille.cell(feuille.max_row, i).number_format = FORMATS_EXCEL.get(c["type"], "General")
		if s["total"]:
			for cellule in feuille[feuille.max_row]:
				cellule.font = gras
		if s["note"]:
			feuille.append([])
			feuille.append([s["note"]])
		for i in range(1, len(s["colonnes"]) + 1):
			feuille.column_dimensions[get_column_letter(i)].width = 40 if i == 1 else 18
		if s["graphique"] and s["lignes"]:
			graphique = BarChart()
			graphique.type = "col" if s["graphique"]["type"] == "barres" else "bar"
			graphique.title = s["titre"]
			graphique.height, graphique.width = 8, 18
			derniere = 2 + len(s["lignes"])
			for cle_serie in s["graphique"]["series"]:
				colonne = 1 + next(i for i, c in enumerate(s["colonnes"]) if c["cle"] == cle_serie)
				graphique.add_data(
					Reference(feuille, min_col=colonne, min_row=2, max_row=derniere), titles_from_data=True
				)
			graphique.set_categories(Reference(feuille, min_col=1, min_row=3, max_row=derniere))
			feuille.add_chart(graphique, f"{get_column_letter(len(s['colonnes']) + 2)}2")
	sortie = io.BytesIO()
	wb.save(sortie)
	return sortie.getvalue()


def valeur_excel(valeur, type_: str):
	if valeur is None:
		return None
	if type_ == "Percent":
		return round(flt(valeur) / 100, 4)
	return valeur


def nom_feuille(titre: str, pris: set) -> str:
	"""Excel's sheet names: 31 characters at most, none of []:*?/\\, unique."""
	nom = "".join(c for c in titre if c not in "[]:*?/\\")[:31]
	base, n = nom, 2
	while nom in pris:
		suffixe = f" ({n})"
		nom, n = base[: 31 - len(suffixe)] + suffixe, n + 1
	pris.add(nom)
	return nom
