"""Retention (suivi_social/rgpd/conservation.py): inactive files archived, then anonymised, with every
copy of what identified the person removed (rgpd/traces.py), and the statistics unchanged.

The canary file of test_droits (unique values per run) is aged by moving its dates back to 2019;
runs are dated with `jour` (today, then 37 months later) instead of waiting years."""

import json
import os

import frappe
import pytest
from frappe.utils import add_months, getdate

from suivi_social.rgpd import conservation
from suivi_social.rgpd.conservation import ApercuPerime, ConservationRefusee
from suivi_social.statistiques import memoire, rapport_annuel
from tests.conftest import as_user
from tests.factories import make_accompagnement, make_beneficiaire
from tests.rgpd.test_droits import canari, canaris, ou_se_trouvent  # canari: a fixture
from tests.securite.test_http import cles, get, post  # cles: a fixture
from tests.statistiques import jeu_rapports
from tests.statistiques.jeu_rapports import NORD, SUD

_jeu, jeu = jeu_rapports._jeu, jeu_rapports.jeu

LANCER = "/api/method/suivi_social.rgpd.conservation.lancer_conservation"


def aujourd_hui():
	return getdate()


def plus_tard():
	"""Archived today, then 36 months of archive."""
	return getdate(add_months(getdate(), 37))


def vieillir(beneficiaire: str, jour: str = "2019-03-10") -> None:
	"""Move a file's activity back to `jour`: creation, accompaniments, rappels, summary."""
	frappe.db.sql(
		"update tabBeneficiaire set creation = %s, dernier_contact = %s where name = %s",
		(jour, jour, beneficiaire),
	)
	frappe.db.sql(
		"update tabAccompagnement set date = %s, date_decision = null where beneficiaire = %s",
		(jour, beneficiaire),
	)
	frappe.db.sql("update tabRappel set date_echeance = %s where beneficiaire = %s", (jour, beneficiaire))


def noms(lignes) -> set[str]:
	return {ligne.name for ligne in lignes}


@pytest.fixture
def vieux(monde, canari):  # noqa: F811
	"""The canary file of A, inactive since March 2019, with the traces an agent's work leaves."""
	vieillir(canari.ben)
	# An accompaniment deleted earlier: its Deleted Document names the person.
	supprime = make_accompagnement(canari.ben, monde.type_a, monde.ts_a, objet=f"Objet {canari.nom}")
	frappe.delete_doc("Accompagnement", supprime.name, ignore_permissions=True, force=True)
	# A mail about the file, the bell, an assignment, a printed page kept by Frappe's Access Log.
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_medium": "Email",
			"subject": f"Courrier pour {canari.nom}",
			"content": f"Bonjour {canari.prenom}, joignable au {canari.telephone}",
			"reference_doctype": "Beneficiaire",
			"reference_name": canari.ben,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": monde.ts_a,
			"type": "Alert",
			"document_type": "Rappel",
			"document_name": canari.rappel_name,
			"subject": f"Rappel {canari.nom}",
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"description": f"Rappeler {canari.nom}",
			"reference_type": "Beneficiaire",
			"reference_name": canari.ben,
			"allocated_to": monde.ts_a,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Access Log",
			"user": monde.ts_a,
			"file_type": "PDF",
			"method": "PDF",
			"page": f"<h1>{canari.nom.upper()} {canari.prenom}</h1><p>NIR {canari.nir}</p>",
		}
	).insert(ignore_permissions=True)
	return canari


# --- Durations --------------------------------------------------------------------------------------


def test_durees_par_structure(monde, vieux):
	assert conservation.durees(monde.a) == (24, 36)
	frappe.db.set_value("Beneficiaire", vieux.ben, "dernier_contact", None)
	frappe.db.sql(
		"update tabBeneficiaire set creation = %s where name = %s",
		(add_months(aujourd_hui(), -12), vieux.ben),
	)
	frappe.db.sql(
		"update tabAccompagnement set date = %s where beneficiaire = %s",
		(add_months(aujourd_hui(), -12), vieux.ben),
	)
	frappe.db.sql(
		"update tabRappel set date_echeance = %s where beneficiaire = %s",
		(add_months(aujourd_hui(), -12), vieux.ben),
	)
	# A year without contact: not yet archived at 24 months, archived at 6.
	assert vieux.ben not in noms(conservation.dossiers_a_archiver(monde.a))
	structure = frappe.get_doc("Structure", monde.a)
	structure.duree_avant_archivage = 6
	structure.save(ignore_permissions=True)
	assert conservation.durees(monde.a) == (6, 36)
	assert vieux.ben in noms(conservation.dossiers_a_archiver(monde.a))
	# B keeps its own durations.
	assert conservation.durees(monde.b) == (24, 36)


@pytest.mark.parametrize("valeur", [0, -3, 241])
def test_duree_hors_limites_refusee(monde, valeur):
	structure = frappe.get_doc("Structure", monde.a)
	structure.duree_avant_anonymisation = valeur
	with pytest.raises(frappe.ValidationError, match="entre 1 et 240"):
		structure.save(ignore_permissions=True)


def test_une_activite_recente_empeche_l_archivage(monde, vieux):
	assert vieux.ben in noms(conservation.dossiers_a_archiver(monde.a))
	# An appointment to come (a planned accompaniment) keeps the file active…
	acc = make_accompagnement(
		vieux.ben, monde.type_a, monde.ts_a, date=str(add_months(aujourd_hui(), 1)), statut="Planifié"
	)
	assert vieux.ben not in noms(conservation.dossiers_a_archiver(monde.a))
	frappe.delete_doc("Accompagnement", acc.name, ignore_permissions=True, force=True)
	# …and so does a rappel due last month.
	frappe.db.sql(
		"update tabRappel set date_echeance = %s where beneficiaire = %s",
		(add_months(aujourd_hui(), -1), vieux.ben),
	)
	assert vieux.ben not in noms(conservation.dossiers_a_archiver(monde.a))


# --- Dry run ----------------------------------------------------------------------------------------


def empreinte_structure(structure: str) -> str:
	"""Every row of the structure's files, accompaniments and rappels, and of the copies that
	reference them (versions, comments, attachments)."""
	lignes, traces = [], []
	for doctype in ("Beneficiaire", "Accompagnement", "Rappel"):
		rangees = frappe.get_all(doctype, filters={"structure": structure}, fields=["*"], order_by="name")
		lignes.append(rangees)
		noms = [r.name for r in rangees] or [""]
		for table, colonne_doctype, colonne_nom in (
			("Version", "ref_doctype", "docname"),
			("Comment", "reference_doctype", "reference_name"),
			("File", "attached_to_doctype", "attached_to_name"),
		):
			traces.append(
				frappe.get_all(
					table,
					filters={colonne_doctype: doctype, colonne_nom: ("in", noms)},
					fields=["name", "modified"],
					order_by="name",
				)
			)
	return json.dumps([lignes, traces], default=str, sort_keys=True)


def test_apercu_liste_sans_rien_changer(monde, vieux):
	avant = empreinte_structure(monde.a)
	ecritures = frappe.db.transaction_writes
	with as_user(monde.resp_a):
		from suivi_social.rgpd.report.conservation_des_dossiers import conservation_des_dossiers as rapport

		colonnes, lignes, message, _graphique, resume = rapport.execute({"structure": monde.a})
	assert {(ligne["action"], ligne["dossier"]) for ligne in lignes} >= {("À archiver", vieux.ben)}
	assert "rien n&apos;est modifié" in message
	assert "n&apos;est pas activée" in message
	assert resume[0]["label"] == "À archiver"
	# 37 months later, that file (still not archived) would be archived, not anonymised.
	apercu = conservation.apercu(monde.a, plus_tard())
	assert vieux.ben in noms(apercu.a_archiver)
	assert vieux.ben not in noms(apercu.a_anonymiser)
	assert frappe.db.transaction_writes == ecritures
	assert empreinte_structure(monde.a) == avant


@pytest.mark.parametrize("role", ["ts_a", "acc_a", "resp_b"])
def test_apercu_reserve_au_responsable_de_la_structure(monde, role):
	from suivi_social.rgpd.report.conservation_des_dossiers import conservation_des_dossiers as rapport

	with as_user(getattr(monde, role)), pytest.raises(ConservationRefusee):
		rapport.execute({"structure": monde.a})


def test_rapport_pour_le_responsable_et_l_administrateur_seulement():
	roles = set(frappe.get_all("Has Role", filters={"parent": "Conservation des dossiers"}, pluck="role"))
	assert roles == {"Responsable de structure", "Administrateur Suivi social"}


# --- Run ----------------------------------------------------------------------------------------------


def test_archive_puis_anonymise_sans_rien_laisser(monde, vieux):
	chemin = vieux.file.get_full_path()
	assert os.path.exists(chemin)
	trouves = {table for table, _c, _v in ou_se_trouvent(canaris(vieux))}
	assert trouves >= {
		"tabBeneficiaire",
		"tabVersion",
		"tabComment",
		"tabDeleted Document",
		"tabCommunication",
	}
	assert "tabAccess Log" in trouves and "tabNotification Log" in trouves and "tabToDo" in trouves
	avant = frappe.get_doc("Beneficiaire", vieux.ben)

	# First run: archived, nothing removed yet.
	resultat = conservation.appliquer(monde.a, aujourd_hui())
	assert vieux.ben in resultat.archives and not resultat.anonymises and not resultat.erreurs
	dossier = frappe.get_doc("Beneficiaire", vieux.ben)
	assert (dossier.statut, dossier.date_archivage) == ("Archivé", aujourd_hui())
	assert dossier.nom_usage == vieux.nom
	assert os.path.exists(chemin)

	# 37 months later: anonymised.
	resultat = conservation.appliquer(monde.a, plus_tard())
	assert vieux.ben in resultat.anonymises and not resultat.erreurs
	assert ou_se_trouvent(canaris(vieux)) == []
	assert not os.path.exists(chemin)
	assert not frappe.db.exists("Compte Rendu Prive", vieux.crp)
	dossier = frappe.get_doc("Beneficiaire", vieux.ben)
	# What the statistics need is kept.
	assert getdate(dossier.date_naissance) == getdate(f"{getdate(avant.date_naissance).year}-01-01")
	for champ in ("genre", "commune", "situation_familiale", "mode_hebergement", "structure"):
		assert dossier.get(champ) == avant.get(champ), champ
	assert dossier.date_anonymisation == plus_tard()
	assert (dossier.nom_complet, dossier.numero_securite_sociale, dossier.telephone) == (
		"ANONYMISÉ Dossier",
		None,
		None,
	)
	acc = frappe.get_doc("Accompagnement", vieux.acc)
	assert (acc.montant_demande, acc.compte_rendu, str(acc.date)) == (250, None, "2019-03-10")
	assert [t.type_accompagnement for t in acc.types_accompagnement] == [monde.aide_a]
	# The reception search no longer knows the name.
	from suivi_social.accueil import jetons

	assert not frappe.db.sql(f"select 1 from `{jetons.TABLE_JETONS}` where beneficiaire = %s", vieux.ben)
	# The run's audit entry, in the structure's timeline, holds file numbers only.
	journal = frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Structure",
			"reference_name": monde.a,
			"content": ("like", "%anonymisé%"),
		},
		pluck="content",
	)
	assert any(vieux.ben in texte for texte in journal)
	assert not any(valeur in texte for texte in journal for valeur in canaris(vieux))


def test_idempotent(monde, vieux):
	conservation.appliquer(monde.a, aujourd_hui())
	conservation.appliquer(monde.a, plus_tard())
	empreinte = empreinte_structure(monde.a)
	second = conservation.appliquer(monde.a, plus_tard())
	assert (second.archives, second.anonymises, second.erreurs) == ([], [], [])
	assert empreinte_structure(monde.a) == empreinte
	# A later run that does find files does not touch an anonymised one again.
	assert vieux.ben not in noms(conservation.dossiers_a_anonymiser(monde.a, add_months(plus_tard(), 48)))


def test_isolation_entre_structures(monde, vieux):
	"""B has an old, inactive file too: A's run never touches it, nor B's rows at all."""
	vieux_b = make_beneficiaire(monde.b, nom_usage="Ancien", prenoms="Bertrand", date_naissance="1950-03-03")
	make_accompagnement(vieux_b.name, monde.type_b, monde.ts_b, objet="Dossier de B")
	vieillir(vieux_b.name)
	avant = empreinte_structure(monde.b)
	conservation.appliquer(monde.a, aujourd_hui())
	conservation.appliquer(monde.a, plus_tard())
	assert empreinte_structure(monde.b) == avant
	assert vieux_b.name in noms(conservation.dossiers_a_archiver(monde.b))


def test_le_responsable_lance_apres_confirmation(monde, vieux):
	apercu = conservation.apercu(monde.a)
	a_archiver, a_anonymiser = len(apercu.a_archiver), len(apercu.a_anonymiser)
	with as_user(monde.resp_a):
		# The numbers confirmed must be those of the dry run now.
		with pytest.raises(ApercuPerime, match="ont changé depuis l'aperçu"):
			conservation.lancer_conservation(monde.a, a_archiver + 1, a_anonymiser)
		assert frappe.db.get_value("Beneficiaire", vieux.ben, "statut") != "Archivé"
		resultat = conservation.lancer_conservation(monde.a, a_archiver, a_anonymiser)
	assert resultat["archives"] == a_archiver >= 1
	assert frappe.db.get_value("Beneficiaire", vieux.ben, "statut") == "Archivé"


@pytest.mark.parametrize("role", ["ts_a", "acc_a", "resp_b"])
def test_lancement_refuse_aux_autres(monde, vieux, role):
	apercu = conservation.apercu(monde.a)
	with as_user(getattr(monde, role)), pytest.raises(ConservationRefusee):
		conservation.lancer_conservation(monde.a, len(apercu.a_archiver), len(apercu.a_anonymiser))
	assert frappe.db.get_value("Beneficiaire", vieux.ben, "statut") == "Actif"


def test_http_lancement_en_post_par_le_responsable_seulement(monde, cles):  # noqa: F811
	"""GET refused before anything runs; a Travailleur social's POST refused; the Responsable's POST
	with counts that do not match the dry run changes nothing (the committed world stays as it is)."""
	args = {"structure": monde.a, "a_archiver": 99999, "a_anonymiser": 0}
	assert get(cles[monde.resp_a], LANCER, **args).status_code == 403
	assert post(cles[monde.ts_a], LANCER, **args).status_code == 403
	r = post(cles[monde.resp_a], LANCER, **args)
	assert r.status_code == 417, r.data[:300]
	assert "ont changé depuis l'aperçu" in r.json["exception"]


# --- The daily job -----------------------------------------------------------------------------------


def test_tache_quotidienne_seulement_si_la_structure_l_a_choisie(monde, vieux, monkeypatch):
	assert (
		"suivi_social.rgpd.conservation.conservation_quotidienne"
		in frappe.get_hooks("scheduler_events")["daily"]
	)
	# The job commits after each structure: kept inside the test's transaction here.
	monkeypatch.setattr(frappe.db, "commit", lambda: None)
	conservation.conservation_quotidienne()
	assert frappe.db.get_value("Beneficiaire", vieux.ben, "statut") == "Actif"
	frappe.db.set_value("Structure", monde.a, "conservation_automatique", 1)
	conservation.conservation_quotidienne()
	assert frappe.db.get_value("Beneficiaire", vieux.ben, "statut") == "Archivé"


# --- Statistics ---------------------------------------------------------------------------------------


def compter(user: str, annee: int, structure: str) -> frappe._dict:
	"""The yearly report counted now (not read back from statistiques/memoire.py)."""
	with as_user(user):
		p = rapport_annuel.verifier(annee, structure)
		donnees = rapport_annuel.compter(p, annee, structure)
	donnees.pop("genere_le", None)
	return donnees


def test_statistiques_inchangees(jeu):
	"""Every file of Nord archived then anonymised: its yearly reports count the same (ages on
	31 December from the year of birth alone; Bruno was born on 31/12/1990)."""
	avant = {annee: compter(jeu.users.resp_n, annee, NORD) for annee in (2024, 2025, 2026)}
	sud = compter(jeu.users.resp_s, 2025, SUD)
	generation = memoire.redis.Redis.hget(memoire._redis(), memoire._nom(NORD), memoire.TOUT)
	loin = add_months(aujourd_hui(), 60)
	# Damien, archived by hand today, is anonymised by the first run; the others by the second.
	premier = conservation.appliquer(NORD, loin)
	second = conservation.appliquer(NORD, add_months(loin, 37))
	assert premier.anonymises == [jeu.personnes.damien]
	assert not (premier.erreurs or second.erreurs)
	assert set(premier.anonymises + second.anonymises) == set(
		jeu.personnes[p] for p in ("alice", "bruno", "chloe", "damien", "emile", "fanny", "gaston")
	)
	assert not frappe.db.exists("Beneficiaire", {"structure": NORD, "nom_usage": "Aubertin"})
	for annee, chiffres in avant.items():
		assert compter(jeu.users.resp_n, annee, NORD) == chiffres, annee
	assert compter(jeu.users.resp_s, 2025, SUD) == sud
	# The kept yearly reports of Nord are recomputed (the writes bypass document events).
	assert memoire.redis.Redis.hget(memoire._redis(), memoire._nom(NORD), memoire.TOUT) != generation
