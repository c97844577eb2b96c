"""The reception search (accueil/recherche.py) and its index (accueil/jetons.py): each matching rule
with a file it must find and one it must not, the ranking, the structure isolation (also through
Frappe's link search), bad input, and the index kept after an edit, a delete, a rename, a merge
and an import."""

import datetime
from unittest import mock

import frappe
import pytest

from suivi_social.accueil import jetons
from suivi_social.accueil.recherche import RechercheInvalide, analyser, rechercher, search_link_query
from tests.conftest import as_user
from tests.factories import beneficiaire_values, make_user


def dossier(structure: str, **valeurs):
	"""A file inserted as its form would (controller, hooks); no duplicate question."""
	return frappe.get_doc(beneficiaire_values(structure, doublon_confirme=1, **valeurs)).insert(
		ignore_permissions=True
	)


def noms(texte: str, user: str, **options) -> list[str]:
	with as_user(user):
		return [r.name for r in rechercher(texte, **options)]


# --- Matching rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"texte", ["leveque marie", "marie leveque", "Lévêque-Marie", "LEVEQUE", "lévêque", "Leve", "MARIE lev"]
)
def test_accents_casse_tirets_et_ordre(monde, texte):
	cible = dossier(monde.a, nom_usage="Lévêque", prenoms="Marie")
	autre = dossier(monde.a, nom_usage="Lebrun", prenoms="Marie")
	trouves = noms(texte, monde.ts_a)
	assert cible.name in trouves
	if "lev" in texte.lower():
		assert autre.name not in trouves


def test_un_nom_compose_se_trouve_attache_ou_en_morceaux(monde):
	cible = dossier(monde.a, nom_usage="Le Gall", prenoms="Jean-Pierre")
	for texte in ("legall", "le gall", "Le-Gall jean pierre", "jeanpierre"):
		assert cible.name in noms(texte, monde.ts_a), texte
	assert cible.name not in noms("legall paul", monde.ts_a)


def test_nom_de_naissance_ou_nom_d_usage(monde):
	cible = dossier(monde.a, nom_usage="Martin", nom_naissance="Durand", prenoms="Sophie")
	for texte in ("durand sophie", "martin sophie", "Durand", "sophie martin"):
		assert cible.name in noms(texte, monde.ts_a), texte
	assert cible.name not in noms("durand paul", monde.ts_a)


@pytest.mark.parametrize(
	"nom, texte, trouve",
	[
		("Lefebvre", "Lefebre", True),  # a missing letter
		("Dupont", "Dupond", True),  # a wrong letter
		("Petit", "Ptiet", False),  # two letters swapped twice
		("Petit", "Petti", True),  # two neighbours swapped
		("Lefebvre", "Lefevbre", True),
		("Lefebvre", "Lefbre", False),  # two letters missing
		("Dupont", "Dupnd", False),  # two typos
		("Roux", "Roix", False),  # four letters: no typo allowed
		("Bonnet", "Bonet", True),  # five letters typed
		("Rossi", "Rosi", False),  # four letters typed: no typo allowed
	],
)
def test_une_faute_dans_un_nom_de_cinq_lettres_ou_plus(monde, nom, texte, trouve):
	cible = dossier(monde.a, nom_usage=nom, prenoms="Claire")
	resultats = {r.name: r for r in _rechercher(monde.ts_a, texte)}
	assert (cible.name in resultats) is trouve
	if trouve:
		assert resultats[cible.name].exacte is False
		assert "une lettre" in resultats[cible.name].motifs[0]


def test_une_faute_dans_le_prenom_avec_le_nom_exact(monde):
	cible = dossier(monde.a, nom_usage="Garnier", prenoms="Isabelle")
	assert cible.name in noms("garnier isabele", monde.ts_a)
	assert cible.name not in noms("garnier isabeau", monde.ts_a)


@pytest.mark.parametrize("texte", ["12/03/1952", "12031952", "12/03/52", "12-03-1952", "12.03.52", "120352"])
def test_date_de_naissance(monde, texte):
	cible = dossier(monde.a, nom_usage="Moreau", prenoms="Odette", date_naissance="1952-03-12")
	autre = dossier(monde.a, nom_usage="Moreau", prenoms="Yvette", date_naissance="1952-03-13")
	trouves = noms(texte, monde.ts_a)
	assert cible.name in trouves and autre.name not in trouves


def test_une_annee_a_deux_chiffres_est_la_derniere_qui_n_est_pas_dans_le_futur():
	aujourd_hui = datetime.date(2026, 11, 28)

	def date(texte):
		((_genre, valeur),) = analyser(texte, aujourd_hui=aujourd_hui).criteres[0].alternatives
		return valeur

	assert date("12/03/52") == datetime.date(1952, 3, 12)
	assert date("12/03/15") == datetime.date(2015, 3, 12)
	assert date("28/11/26") == datetime.date(2026, 11, 28)
	assert date("29/11/26") == datetime.date(1926, 11, 29)
	# An impossible date finds nothing rather than something else.
	assert analyser("31/02/1950", aujourd_hui=aujourd_hui).criteres[0].alternatives == []


@pytest.mark.parametrize(
	"texte", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "0033 6 12 34 56 78", "06.12.34.56.78"]
)
def test_telephone_dans_tous_les_formats(monde, texte):
	cible = dossier(monde.a, nom_usage="Fontaine", prenoms="René", telephone="0612345678")
	second = dossier(monde.a, nom_usage="Girard", prenoms="Anne", telephone_2="+33612345678")
	autre = dossier(monde.a, nom_usage="Fontaine", prenoms="Alain", telephone="0612345679")
	trouves = noms(texte, monde.ts_a)
	assert cible.name in trouves and second.name in trouves
	assert autre.name not in trouves


def test_le_debut_d_un_numero_trouve_en_cours_de_frappe(monde):
	cible = dossier(monde.a, nom_usage="Fontaine", prenoms="René", telephone="0612345678")
	autre = dossier(monde.a, nom_usage="Fontaine", prenoms="Alain", telephone="0698765432")
	trouves = noms("06 12 34", monde.ts_a)
	assert cible.name in trouves and autre.name not in trouves


def test_numero_de_dossier(monde):
	cible = dossier(monde.a, nom_usage="Blanc", prenoms="Paul")
	numero = int(cible.name.split("-")[1])
	for texte in (cible.name, cible.name.lower(), f"ta-{numero}", f"TA{numero:05d}", f"{numero:03d}"):
		resultats = _rechercher(monde.ts_a, texte)
		assert resultats and resultats[0].name == cible.name, texte
	# The same number in structure B is not another way into B.
	assert monde.ben_b.name not in noms(monde.ben_b.name, monde.ts_a)


def test_criteres_combines_se_croisent(monde):
	cible = dossier(monde.a, nom_usage="Martin", prenoms="Paul", date_naissance="1952-03-12")
	autre_date = dossier(monde.a, nom_usage="Martin", prenoms="Pierre", date_naissance="1960-01-01")
	autre_nom = dossier(monde.a, nom_usage="Robert", prenoms="Pierre", date_naissance="1952-03-12")
	trouves = noms("martin 12/03/1952", monde.ts_a)
	assert cible.name in trouves
	assert autre_date.name not in trouves and autre_nom.name not in trouves


def test_dossiers_archives_et_decedes_seulement_sur_demande(monde):
	actif = dossier(monde.a, nom_usage="Rousseau", prenoms="Henri")
	archive = dossier(monde.a, nom_usage="Rousseau", prenoms="Louis", statut="Archivé")
	decede = dossier(monde.a, nom_usage="Rousseau", prenoms="Jules", statut="Décédé", date_deces="2024-01-02")
	assert noms("rousseau", monde.ts_a) == [actif.name]
	with as_user(monde.ts_a):
		resultats = rechercher("rousseau", archives=True)
	assert [r.name for r in resultats] == [actif.name, decede.name, archive.name]
	assert [r.archive for r in resultats] == [False, True, True]


def test_classement_exact_avant_prefixe_avant_faute(monde):
	faute = dossier(monde.a, nom_usage="Dupont", prenoms="Paul")
	prefixe = dossier(monde.a, nom_usage="Duponde", prenoms="Paul")
	exact = dossier(monde.a, nom_usage="Dupond", prenoms="Paul")
	resultats = _rechercher(monde.ts_a, "dupond")
	assert [r.name for r in resultats] == [exact.name, prefixe.name, faute.name]
	assert [r.exacte for r in resultats] == [True, True, False]
	assert resultats[0].score > resultats[1].score > resultats[2].score


def test_chaque_resultat_porte_les_champs_promis(monde):
	cible = dossier(
		monde.a, nom_usage="Lambert", prenoms="Agnès", commune="Autun", date_naissance="1948-03-02"
	)
	(resultat,) = _rechercher(monde.acc_a, "lambert agnes")
	assert resultat.name == cible.name and resultat.exacte is True and resultat.score > 0
	assert resultat.nom_usage == "Lambert" and resultat.prenoms == "Agnès"
	assert resultat.date_naissance == datetime.date(1948, 3, 2) and resultat.commune == "Autun"
	assert resultat.statut == "Actif" and resultat.motifs == ["nom"]


def test_la_limite_est_respectee(monde):
	for i in range(5):
		dossier(monde.a, nom_usage="Fabre", prenoms=f"Enfant{'abcde'[i]}")
	assert len(noms("fabre", monde.ts_a, limite=3)) == 3
	assert len(noms("fabre", monde.ts_a)) == 5


# --- Structure isolation ------------------------------------------------------------------------------


def test_une_personne_de_b_n_est_jamais_montree_a_un_agent_de_a(monde):
	"""By name, date, phone and number, in the engine and in every Link field, even when the client
	asks Frappe's link search to ignore user permissions."""
	b = dossier(
		monde.b, nom_usage="Zorglub", prenoms="Irma", date_naissance="1941-07-14", telephone="0611223344"
	)
	a = dossier(
		monde.a, nom_usage="Zorglub", prenoms="Irma", date_naissance="1941-07-14", telephone="0611223344"
	)
	for user in (monde.ts_a, monde.acc_a, monde.resp_a):
		for texte in ("zorglub", "zorglube", "14/07/1941", "06 11 22 33 44", "irma zorg"):
			assert noms(texte, user, archives=True) == [a.name], (user, texte)
		assert noms(b.name, user, archives=True) == []
	from frappe.desk.search import search_link, search_widget

	with as_user(monde.ts_a):
		for texte in ("zorglub", "z", ""):
			valeurs = [r["value"] for r in search_link("Beneficiaire", texte, ignore_user_permissions=True)]
			assert b.name not in valeurs, texte
			lignes = search_widget("Beneficiaire", texte, ignore_user_permissions=True, page_length=50)
			assert b.name not in [ligne[0] for ligne in lignes]
		assert a.name in [r["value"] for r in search_link("Beneficiaire", "zorglub")]
	with as_user(monde.ts_b):
		assert noms("zorglub", monde.ts_b) == [b.name]


def test_un_utilisateur_sans_structure_ne_trouve_rien(monde):
	from suivi_social.roles import TRAVAILLEUR_SOCIAL

	orphelin = make_user("sans-structure@test.fr", TRAVAILLEUR_SOCIAL)
	dossier(monde.a, nom_usage="Perrin", prenoms="Lucie")
	assert noms("perrin", orphelin) == []


def test_un_utilisateur_qui_ne_lit_pas_les_dossiers_est_refuse(monde):
	sans_role = make_user("sans-role@test.fr")
	with as_user(sans_role), pytest.raises(frappe.PermissionError):
		rechercher("perrin")


def test_l_administrateur_suivi_social_cherche_dans_toutes_les_structures(monde):
	from suivi_social.roles import ADMINISTRATEUR

	admin = make_user("admin-suivi@test.fr", ADMINISTRATEUR)
	a = dossier(monde.a, nom_usage="Quenouille", prenoms="Rose")
	b = dossier(monde.b, nom_usage="Quenouille", prenoms="Rosa")
	assert set(noms("quenouille", admin)) == {a.name, b.name}


# --- Bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("texte", ["", " ", "a", " é ", "x" * 201, "martin " * 150, None])
def test_une_recherche_vide_courte_ou_trop_longue_est_refusee_sans_rien_lire(monde, texte):
	with as_user(monde.ts_a), mock.patch.object(frappe.db, "sql", side_effect=AssertionError("lu")):
		with pytest.raises(RechercheInvalide) as erreur:
			rechercher(texte)
	message = str(erreur.value)
	assert ("deux caractères" in message) if len((texte or "").strip()) < 2 else ("200 caractères" in message)


def test_des_lettres_isolees_demandent_une_precision(monde):
	with as_user(monde.ts_a), pytest.raises(RechercheInvalide, match="deux caractères"):
		rechercher("a b c")


# --- Link fields ----------------------------------------------------------------------------------------


def test_le_champ_lien_montre_la_date_a_la_francaise_et_la_commune(monde):
	cible = dossier(
		monde.a, nom_usage="Lévêque", prenoms="Marie", date_naissance="1948-03-02", commune="Autun"
	)
	from frappe.desk.search import search_link

	with as_user(monde.ts_a):
		(resultat,) = (r for r in search_link("Beneficiaire", "leveque marie") if r["value"] == cible.name)
	assert resultat["label"] == "LÉVÊQUE Marie"
	assert "02/03/1948" in resultat["description"] and "1948-03-02" not in resultat["description"]
	assert "Autun" in resultat["description"]


def test_le_champ_lien_applique_les_filtres_du_formulaire(monde):
	premier = dossier(monde.a, nom_usage="Mercier", prenoms="Paul")
	second = dossier(monde.a, nom_usage="Mercier", prenoms="Jean")
	with as_user(monde.ts_a):
		lignes = search_link_query(
			"Beneficiaire", "mercier", "name", 0, 10, {"structure": monde.a, "name": ["!=", premier.name]}
		)
		assert [ligne[0] for ligne in lignes] == [second.name]
		lignes = search_link_query(
			"Beneficiaire", "m", "name", 0, 50, [["Beneficiaire", "prenoms", "=", "Jean"]]
		)
		assert second.name in [ligne[0] for ligne in lignes] and premier.name not in [
			ligne[0] for ligne in lignes
		]


def test_le_champ_lien_propose_des_dossiers_pour_un_texte_court(monde):
	cible = dossier(monde.a, nom_usage="Vidal", prenoms="Rose")
	frappe.clear_messages()
	with as_user(monde.ts_a):
		assert cible.name in [
			ligne[0] for ligne in search_link_query("Beneficiaire", "v", "name", 0, 50, None)
		]
		assert cible.name in [ligne[0] for ligne in search_link_query("Beneficiaire", "", "name", 0, 5, None)]
		assert search_link_query("Beneficiaire", "x" * 1000, "name", 0, 10, None) == []
		assert frappe.message_log == []


def test_le_champ_lien_montre_les_archives_apres_les_autres_et_les_signale(monde):
	actif = dossier(monde.a, nom_usage="Barbier", prenoms="Henri")
	archive = dossier(monde.a, nom_usage="Barbier", prenoms="Louis", statut="Archivé")
	with as_user(monde.ts_a):
		lignes = search_link_query("Beneficiaire", "barbier", "name", 0, 10, None)
	assert [ligne[0] for ligne in lignes] == [actif.name, archive.name]
	assert lignes[1][-1] == "Archivé" and lignes[0][-1] is None


def test_les_champs_lien_utilisent_ce_moteur():
	assert frappe.get_hooks("standard_queries")["Beneficiaire"] == [
		"suivi_social.accueil.recherche.search_link_query"
	]


# --- The index kept up to date ------------------------------------------------------------------------


def test_l_index_suit_une_modification(monde):
	cible = dossier(monde.a, nom_usage="Lefebre", prenoms="Anne", telephone="0611111111")
	cible.nom_usage = "Carpentier"
	cible.telephone = "0622222222"
	cible.save(ignore_permissions=True)
	assert noms("carpentier anne", monde.ts_a) == [cible.name]
	assert noms("06 22 22 22 22", monde.ts_a) == [cible.name]
	assert cible.name not in noms("lefebre", monde.ts_a)
	assert noms("06 11 11 11 11", monde.ts_a) == []
	# The name nobody bears any more left the typo vocabulary too.
	assert not frappe.db.sql(f"select 1 from `{jetons.TABLE_VARIANTES}` where `jeton` = 'lefebre'")


def test_l_index_suit_une_suppression(monde):
	cible = dossier(monde.a, nom_usage="Hoarau", prenoms="Anne")
	frappe.delete_doc("Beneficiaire", cible.name, ignore_permissions=True)
	assert not frappe.db.sql(f"select 1 from `{jetons.TABLE_JETONS}` where `beneficiaire` = %s", cible.name)
	assert noms("hoarau", monde.ts_a) == []


def test_l_index_suit_un_renommage_et_une_fusion(monde):
	from suivi_social.dossiers.fusion import fusionner

	garde = dossier(monde.a, nom_usage="Payet", prenoms="Anne", date_naissance="1970-02-02")
	absorbe = dossier(
		monde.a, nom_usage="Payet", nom_naissance="Grondin", prenoms="Anne", date_naissance="1970-02-02"
	)
	fusionner(garde.name, absorbe.name)
	assert noms("payet anne", monde.ts_a) == [garde.name]
	# The kept file took the absorbed file's birth name: found by it.
	assert noms("grondin", monde.ts_a) == [garde.name]
	assert not frappe.db.sql(f"select 1 from `{jetons.TABLE_JETONS}` where `beneficiaire` = %s", absorbe.name)

	frappe.rename_doc("Beneficiaire", garde.name, "TA-99999", force=True, show_alert=False)
	assert noms("payet anne", monde.ts_a) == ["TA-99999"]
	assert not frappe.db.sql(f"select 1 from `{jetons.TABLE_JETONS}` where `beneficiaire` = %s", garde.name)


def test_l_import_ecrit_l_index_des_dossiers_crees_et_completes(monde):
	from suivi_social.imports.analyse import IMPORTEE, Personne
	from tests.imports.test_ecriture_en_masse import ecrire, plan

	existant = dossier(monde.a, nom_usage="Brunet", prenoms="Alice")
	p, _ligne = plan(monde.a, {})
	complete, ligne_complete = plan(monde.a, {}, dossier=existant.name)
	p.personnes[0].valeurs.update(nom_usage="Grosjean", prenoms="Paulette", telephone="06 33 44 55 66")
	p.lignes.append(ligne_complete)
	p.personnes.append(
		Personne(
			numero=2, lignes=[ligne_complete], dossier=existant.name, valeurs={"telephone": "0677889900"}
		)
	)
	ecrire(monde, p)
	assert p.lignes[0].issue == IMPORTEE
	cree = p.lignes[0].beneficiaire
	assert noms("grosjean paulette", monde.ts_a) == [cree]
	assert noms("grosjan", monde.ts_a) == [cree]
	assert noms("06 33 44 55 66", monde.ts_a) == [cree]
	assert noms("06 77 88 99 00", monde.ts_a) == [existant.name]


def test_la_reconstruction_refait_l_index_de_chaque_dossier(monde):
	cible = dossier(monde.a, nom_usage="Tessier", prenoms="Anne", telephone="0644444444")
	frappe.db.sql(f"delete from `{jetons.TABLE_JETONS}` where `beneficiaire` = %s", cible.name)
	frappe.db.sql(f"delete from `{jetons.TABLE_VARIANTES}` where `jeton` = 'tessier'")
	assert noms("tessier", monde.ts_a) == []
	with mock.patch.object(frappe.db, "commit"):
		total = jetons.reconstruire()
	assert total == frappe.db.count("Beneficiaire")
	assert noms("tessier anne", monde.ts_a) == [cible.name]
	assert noms("tesier", monde.ts_a) == [cible.name]
	assert noms("06 44 44 44 44", monde.ts_a) == [cible.name]


def _rechercher(user: str, texte: str, **options):
	with as_user(user):
		return rechercher(texte, **options)
