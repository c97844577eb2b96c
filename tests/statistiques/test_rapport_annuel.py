"""The yearly activity report on the hand-built dataset (jeu_rapports.py): its figures, its PDF
(read back with pdftotext) and its workbook (read back with openpyxl), anonymous; the downloads
over HTTP (structure criterion first, roles, Access Log)."""

import io
import json
import re
import subprocess

import frappe
import pytest
from openpyxl import load_workbook

from suivi_social.statistiques import rapport_annuel
from tests.conftest import as_user
from tests.securite.test_http import requete
from tests.statistiques import jeu_rapports
from tests.statistiques.jeu_rapports import NORD, SUD, noms_des_personnes

# The dataset's fixtures (jeu_rapports.py), used by name.
_jeu, jeu, cles_stats = jeu_rapports._jeu, jeu_rapports.jeu, jeu_rapports.cles_stats

TITRE = "Rapport d'activité 2025 — Stats Nord"
METHODE = "/api/method/suivi_social.statistiques.rapport_annuel"


@pytest.fixture
def impression():
	# What the before_request hook does in the web process (impression.py): self-contained HTML.
	from suivi_social import impression

	impression.apply()


def construire(user: str, structure: str = NORD) -> frappe._dict:
	with as_user(user):
		return rapport_annuel.construire(2025, structure)


def section(donnees, cle: str) -> dict:
	return next(s for s in donnees.sections if s["cle"] == cle)


def lignes(s: dict, *champs: str) -> dict:
	return {ligne[s["colonnes"][0]["cle"]]: tuple(ligne[c] for c in champs) for ligne in s["lignes"]}


def texte_pdf(contenu: bytes) -> str:
	assert contenu.startswith(b"%PDF")
	return subprocess.run(
		["pdftotext", "-layout", "-", "-"], input=contenu, capture_output=True, check=True
	).stdout.decode()


def ligne_pdf(texte: str, debut: str) -> list[str]:
	"""The cells of the table row that starts with `debut` (pdftotext -layout keeps columns apart
	with two spaces or more): of the lines starting so, the one with the most cells, since a
	chart's label line has two (the label and its value)."""
	lignes = [
		re.split(r"\s{2,}", ligne.strip()) for ligne in texte.splitlines() if ligne.strip().startswith(debut)
	]
	assert lignes, f"Pas de ligne « {debut} » dans le PDF :\n{texte}"
	return max(lignes, key=len)


def erreur(r) -> str:
	"""The French message of an error response, unescaped."""
	return json.dumps(r.json, ensure_ascii=False)


def cellules(wb) -> list[str]:
	return [
		str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
	]


# --- Figures ------------------------------------------------------------------------------------


def test_chiffres_de_l_annee(jeu):
	d = construire(jeu.users.resp_n)
	assert d.titre == TITRE
	assert {c["libelle"]: c["valeur"] for c in d.chiffres} == {
		"Accompagnements": 9,
		"Bénéficiaires accompagnés": 4,
		"Nouveaux bénéficiaires": 2,
		"Bénéficiaires déjà suivis": 2,
		"Demandes d'aide financière": 4,
		"Aides accordées": 2,
		"Montant accordé": 400.0,
		"Montant payé": 250.0,
		"Rendez-vous honorés": 3,
		"Taux de présence aux rendez-vous": 60.0,
	}
	mois = section(d, "activite_mensuelle")
	assert [ligne["accompagnements"] for ligne in mois["lignes"]] == [0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1]
	assert mois["total"]["accompagnements"] == 9
	assert lignes(section(d, "typologies"), "accompagnements", "beneficiaires") == {
		"Domiciliation": (4, 3),
		"Aide alimentaire": (3, 3),
		"Aide énergie": (2, 2),
		"Logement": (2, 2),
	}
	assert lignes(section(d, "tranche_age"), "beneficiaires") == {
		"Moins de 25 ans": (1,),
		"25 à 34 ans": (1,),
		"35 à 44 ans": (1,),
		"45 à 54 ans": (0,),
		"55 à 64 ans": (0,),
		"65 ans et plus": (0,),
		"Non renseigné": (1,),
	}
	assert lignes(section(d, "commune"), "beneficiaires") == {
		"Démoville": (2,),
		"Autreville": (1,),
		"Non renseigné": (1,),
	}
	assert lignes(section(d, "ressources"), "beneficiaires") == {
		"Salaire": (1,),
		"RSA": (1,),
		"APL / aide au logement": (1,),
		"Aucune ressource renseignée": (2,),
	}
	aides = section(d, "aides")
	assert lignes(aides, "demandes", "accordees", "montant_accorde", "montant_paye") == {
		"Aide alimentaire": (3, 2, 400.0, 250.0),
		"Aide énergie": (2, 1, 150.0, 0.0),
	}
	assert lignes(section(d, "rendez_vous"), "nombre") == {
		"Honorés": (3,),
		"Non honorés": (2,),
		"Annulés": (1,),
		"À venir": (0,),
		"Issue à renseigner": (1,),
	}


def test_sans_montants_ni_ressources_pour_qui_n_a_pas_le_niveau(jeu):
	d = construire(jeu.users.admin)
	assert not [c for c in d.chiffres if "Montant" in c["libelle"]]
	assert "ressources" not in {s["cle"] for s in d.sections}
	assert not [c for c in section(d, "aides")["colonnes"] if c["cle"].startswith("montant")]


# --- PDF and workbook -----------------------------------------------------------------------------


def test_pdf(jeu, impression):
	with as_user(jeu.users.resp_n):
		texte = texte_pdf(rapport_annuel.pdf(rapport_annuel.construire(2025, NORD)))
	assert TITRE in texte
	assert "Activité du 01/01/2025 au 31/12/2025" in texte
	assert ligne_pdf(texte, "Domiciliation") == ["Domiciliation", "4", "3"]
	assert ligne_pdf(texte, "Moins de 25 ans") == ["Moins de 25 ans", "1", "25 %"]
	assert ligne_pdf(texte, "Aide alimentaire") == [
		"Aide alimentaire",
		"3",
		"2",
		"1",
		"0",
		"33,3 %",
		"1 200,00 €",
		"400,00 €",
		"250,00 €",
		"200,00 €",
	]
	assert ligne_pdf(texte, "Aucune ressource renseignée") == ["Aucune ressource renseignée", "2", "50 %"]
	assert "Non renseigné" in texte
	# Anonymous: no beneficiary's name, no file number.
	for nom in noms_des_personnes():
		assert nom.lower() not in texte.lower(), nom
	assert not any(numero in texte for numero in jeu.personnes.values())
	# Nothing of the other structure.
	assert "Sudville" not in texte and "1 000,00 €" not in texte


def test_pdf_sans_montants_pour_l_administrateur(jeu, impression):
	with as_user(jeu.users.admin):
		texte = texte_pdf(rapport_annuel.pdf(rapport_annuel.construire(2025, NORD)))
	assert "Montant" not in texte and "€" not in texte
	assert "Les montants ne vous sont pas accessibles" in texte
	assert ligne_pdf(texte, "Aide alimentaire")[:4] == ["Aide alimentaire", "3", "2", "1"]


def test_classeur_excel(jeu):
	with as_user(jeu.users.resp_n):
		wb = load_workbook(io.BytesIO(rapport_annuel.classeur(rapport_annuel.construire(2025, NORD))))
	assert wb.sheetnames[:3] == ["Synthèse", "Activité mois par mois", "Activité par typologie"]
	synthese = {row[0]: row[1] for row in wb["Synthèse"].iter_rows(min_row=6, values_only=True)}
	assert wb["Synthèse"]["A1"].value == TITRE
	assert synthese["Accompagnements"] == 9
	assert synthese["Bénéficiaires accompagnés"] == 4
	assert synthese["Montant accordé"] == 400
	assert synthese["Taux de présence aux rendez-vous"] == pytest.approx(0.6)
	typologies = list(wb["Activité par typologie"].iter_rows(min_row=2, values_only=True))
	assert typologies[:6] == [
		("Typologie", "Accompagnements", "Bénéficiaires"),
		("Domiciliation", 4, 3),
		("Aide alimentaire", 3, 3),
		("Aide énergie", 2, 2),
		("Logement", 2, 2),
		("Total", 9, 4),
	]
	assert wb["Activité par typologie"]._charts, "un graphique par feuille"
	aides = {row[0]: row for row in wb["Aides financières"].iter_rows(min_row=3, values_only=True) if row[0]}
	assert aides["Total"][1:4] == (4, 2, 1)
	assert aides["Aide alimentaire"][-4:] == (1200, 400, 250, 200)
	tout = " ".join(cellules(wb)).lower()
	for nom in noms_des_personnes():
		assert nom.lower() not in tout, nom
	assert "sudville" not in tout


# --- Over HTTP ----------------------------------------------------------------------------------------


def journal(user: str, methode: str) -> int:
	frappe.db.rollback()  # see the Access Log rows the web request committed
	return frappe.db.count(
		"Access Log", {"user": user, "method": f"suivi_social.statistiques.rapport_annuel.{methode}"}
	)


def test_http_telechargements_journalises(jeu, cles_stats):
	avant_pdf, avant_xlsx = (
		journal(jeu.users.resp_n, "telecharger_pdf"),
		journal(jeu.users.resp_n, "telecharger_excel"),
	)
	r = requete("POST", cles_stats["resp_n"], f"{METHODE}.telecharger_pdf", annee="2025", structure=NORD)
	assert r.status_code == 200, r.text
	assert r.headers["Content-Type"] == "application/pdf"
	assert "rapport-activite-2025-stats-nord.pdf" in r.headers["Content-Disposition"]
	assert TITRE in texte_pdf(r.data)
	r = requete("POST", cles_stats["resp_n"], f"{METHODE}.telecharger_excel", annee="2025", structure=NORD)
	assert r.status_code == 200, r.text
	assert load_workbook(io.BytesIO(r.data))["Synthèse"]["A1"].value == TITRE
	# A download writes to the log: POST only.
	r = requete("GET", cles_stats["resp_n"], f"{METHODE}.telecharger_pdf", annee="2025", structure=NORD)
	assert r.status_code == 403 and not r.data.startswith(b"%PDF")
	assert journal(jeu.users.resp_n, "telecharger_pdf") == avant_pdf + 1
	assert journal(jeu.users.resp_n, "telecharger_excel") == avant_xlsx + 1
	entree = frappe.get_all(
		"Access Log",
		filters={"user": jeu.users.resp_n, "method": ("like", "%telecharger_excel")},
		fields=["file_type", "report_name", "reference_document", "filters"],
		order_by="creation desc",
		limit=1,
	)[0]
	assert (entree.file_type, entree.report_name, entree.reference_document) == (
		"XLSX",
		"Rapport d'activité",
		NORD,
	)
	assert frappe.parse_json(entree.filters) == {"annee": 2025, "structure": NORD}


@pytest.mark.parametrize("methode", ["rapport_annuel", "telecharger_pdf", "telecharger_excel"])
def test_http_structure_d_une_autre_structure(jeu, cles_stats, methode):
	avant = journal(jeu.users.resp_n, methode)
	for structure in (SUD, "Structure qui n'existe pas"):
		r = requete("POST", cles_stats["resp_n"], f"{METHODE}.{methode}", annee="2025", structure=structure)
		assert r.status_code == 403, r.text
		assert f"La structure « {structure} » ne vous est pas accessible." in erreur(r)
		assert "Sudville" not in r.text
	assert journal(jeu.users.resp_n, methode) == avant
	# Sud's Responsable gets Sud's.
	r = requete("POST", cles_stats["resp_s"], f"{METHODE}.rapport_annuel", annee="2025", structure=SUD)
	assert r.status_code == 200 and r.json["message"]["titre"] == "Rapport d'activité 2025 — Stats Sud"


@pytest.mark.parametrize("role", ["ts_n", "acc_n"])
def test_http_reserve_aux_responsables_et_administrateurs(jeu, cles_stats, role):
	for methode in ("parametres", "rapport_annuel", "telecharger_pdf", "telecharger_excel"):
		r = requete("POST", cles_stats[role], f"{METHODE}.{methode}", annee="2025", structure=NORD)
		assert r.status_code == 403, (methode, r.text)
		assert "réservé aux responsables" in erreur(r)


def test_http_parametres_de_la_page(jeu, cles_stats):
	r = requete("GET", cles_stats["resp_n"], f"{METHODE}.parametres")
	assert r.status_code == 200, r.text
	assert r.json["message"]["structures"] == [NORD]
	assert r.json["message"]["structure"] == NORD


def test_http_annee_invalide(jeu, cles_stats):
	r = requete("POST", cles_stats["resp_n"], f"{METHODE}.rapport_annuel", annee="1850", structure=NORD)
	assert r.status_code == 417
	assert "Année invalide : 1850." in erreur(r)
