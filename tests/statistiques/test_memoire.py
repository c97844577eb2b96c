"""The yearly activity report is counted once, then read back until what it counts changes
(statistiques/memoire.py), on the hand-built dataset of jeu_rapports.py (Nord, 2025)."""

import frappe
import pytest

from suivi_social.statistiques import memoire, rapport_annuel
from tests.conftest import as_user
from tests.statistiques import jeu_rapports
from tests.statistiques.jeu_rapports import NORD, SUD

_jeu, jeu = jeu_rapports._jeu, jeu_rapports.jeu


@pytest.fixture
def comptages(jeu, monkeypatch):
	"""How many times the figures were counted; Nord's kept reports forgotten first."""
	appels = []
	compter = rapport_annuel.compter

	def compter_et_noter(*args):
		appels.append(args[1:])
		return compter(*args)

	monkeypatch.setattr(rapport_annuel, "compter", compter_et_noter)
	memoire.invalider_structure(NORD)
	return appels


def rapport(user: str, annee: int = 2025, structure: str = NORD) -> frappe._dict:
	with as_user(user):
		return rapport_annuel.construire(annee, structure)


def chiffre(d: frappe._dict, libelle: str):
	return next(c["valeur"] for c in d.chiffres if c["libelle"] == libelle)


def sauver(doctype: str, name: str, **valeurs) -> None:
	doc = frappe.get_doc(doctype, name)
	doc.update(valeurs)
	doc.save(ignore_permissions=True)


def test_compte_une_fois_puis_relit(jeu, comptages):
	premier = rapport(jeu.users.resp_n)
	second = rapport(jeu.users.resp_n)
	assert len(comptages) == 1
	assert chiffre(second, "Accompagnements") == chiffre(premier, "Accompagnements") == 9
	assert second.sections == premier.sections
	assert second.chiffres == premier.chiffres


def test_un_accompagnement_de_l_annee_fait_recompter(jeu, comptages):
	rapport(jeu.users.resp_n)
	# a1 (Alice, 2025) moved to 2024: one accompaniment fewer, and Alice was followed before 2025.
	sauver("Accompagnement", jeu.accompagnements.a1, date="2024-02-10")
	d = rapport(jeu.users.resp_n)
	assert len(comptages) == 2
	assert chiffre(d, "Accompagnements") == 8
	assert chiffre(d, "Nouveaux bénéficiaires") == 1


def test_une_annee_anterieure_fait_recompter_une_annee_posterieure_non(jeu, comptages):
	rapport(jeu.users.resp_n)
	sauver("Accompagnement", jeu.accompagnements.c1, mode="Accueil physique spontané")  # 2026
	rapport(jeu.users.resp_n)
	assert len(comptages) == 1
	# b2 (Émile, 2024): « nouveaux » and « déjà suivis » of 2025 look back at it.
	sauver("Accompagnement", jeu.accompagnements.b2, mode="Accueil physique spontané")
	rapport(jeu.users.resp_n)
	assert len(comptages) == 2


def test_une_suppression_fait_recompter(jeu, comptages):
	rapport(jeu.users.resp_n)
	frappe.delete_doc("Accompagnement", jeu.accompagnements.a12, ignore_permissions=True, force=True)
	assert chiffre(rapport(jeu.users.resp_n), "Accompagnements") == 8
	assert len(comptages) == 2


def test_le_profil_d_un_dossier_fait_recompter_son_telephone_non(jeu, comptages):
	rapport(jeu.users.resp_n)
	sauver("Beneficiaire", jeu.personnes.alice, telephone="06 11 22 33 44")
	rapport(jeu.users.resp_n)
	assert len(comptages) == 1
	sauver("Beneficiaire", jeu.personnes.alice, commune="Autreville")
	d = rapport(jeu.users.resp_n)
	assert len(comptages) == 2
	communes = next(s for s in d.sections if s["cle"] == "commune")
	assert {ligne["libelle"]: ligne["beneficiaires"] for ligne in communes["lignes"]}["Autreville"] == 2


def test_les_ressources_d_un_dossier_font_recompter(jeu, comptages):
	rapport(jeu.users.resp_n)
	doc = frappe.get_doc("Beneficiaire", jeu.personnes.alice)
	doc.append("ressources", {"nature": "Salaire", "montant": 900})
	doc.save(ignore_permissions=True)
	rapport(jeu.users.resp_n)
	assert len(comptages) == 2


def test_le_nom_d_une_typologie_fait_recompter(jeu, comptages):
	rapport(jeu.users.resp_n)
	sauver("Type Accompagnement", jeu.types.domiciliation, nom="Domiciliation administrative")
	d = rapport(jeu.users.resp_n)
	assert len(comptages) == 2
	typologies = next(s for s in d.sections if s["cle"] == "typologies")
	assert "Domiciliation administrative" in [ligne["libelle"] for ligne in typologies["lignes"]]


def test_une_ecriture_sans_evenement_est_vue(jeu, comptages):
	"""A row moved by raw SQL (a patch, a console): the counts in the version catch it."""
	rapport(jeu.users.resp_n)
	frappe.db.sql(
		"update `tabAccompagnement` set date = '2025-03-03' where name = %s", jeu.accompagnements.c1
	)
	d = rapport(jeu.users.resp_n)
	assert len(comptages) == 2
	assert chiffre(d, "Accompagnements") == 10


def test_un_calcul_fait_pendant_une_ecriture_n_est_pas_garde(jeu, comptages):
	"""Figures counted on top of uncommitted writes may be rolled back: never kept."""
	sauver("Beneficiaire", jeu.personnes.alice, telephone="06 11 22 33 44")
	rapport(jeu.users.resp_n)
	rapport(jeu.users.resp_n)
	assert len(comptages) == 2


def test_un_resultat_par_droits(jeu, comptages):
	"""The Administrateur may not read amounts: never the Responsable's kept figures."""
	avec = rapport(jeu.users.resp_n)
	sans = rapport(jeu.users.admin)
	assert len(comptages) == 2
	assert avec.montants and not sans.montants
	assert not [c for c in rapport(jeu.users.admin).chiffres if "Montant" in c["libelle"]]
	assert [c for c in rapport(jeu.users.resp_n).chiffres if "Montant" in c["libelle"]]
	assert len(comptages) == 2


def test_le_critere_de_structure_passe_avant_la_memoire(jeu, comptages):
	rapport(jeu.users.resp_n)
	with pytest.raises(frappe.PermissionError):
		rapport(jeu.users.resp_s, structure=NORD)
	assert rapport(jeu.users.resp_s, structure=SUD).structure == SUD


def test_migrer_oublie_tout(jeu, comptages):
	rapport(jeu.users.resp_n)
	memoire.tout_oublier()
	rapport(jeu.users.resp_n)
	assert len(comptages) == 2


def test_la_date_de_production_est_celle_de_la_demande(jeu, comptages, monkeypatch):
	rapport(jeu.users.resp_n)
	monkeypatch.setattr(rapport_annuel, "now_datetime", lambda: frappe.utils.get_datetime("2027-01-15 09:30"))
	assert rapport(jeu.users.resp_n).genere_le == "15/01/2027 09:30"
	assert len(comptages) == 1
