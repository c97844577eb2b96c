"""One site per CCAS: `./suivi new-ccas` and the provisioning it runs (suivi_social/setup/ccas.py),
and the dev server that serves every site by name (suivi_social/setup/serveur.py)."""

import json
import secrets
import subprocess
import sys
from unittest.mock import patch

import frappe
import pytest

from suivi_social.roles import ADMINISTRATEUR, RESPONSABLE, TRAVAILLEUR_SOCIAL
from suivi_social.setup import ccas, serveur
from suivi_social.setup.ccas import ProvisionnementRefuse, provisionner
from tests.conftest import BENCH, SITES, TEST_SITE, as_user
from tests.factories import make_user
from tests.outils_bench import bench_env, supprimer_site

STRUCTURE = "CCAS de Zéphyrville"
RESPONSABLE_EMAIL = "marie.dupont@zephyrville.fr"


@pytest.fixture
def sans_envoi_d_e_mails():
	"""A site with no outgoing e-mail account (the tests mute e-mails, which fakes one)."""
	with patch("suivi_social.api.equipe.EmailAccount.find_outgoing", return_value=None):
		yield


def structures_de(user: str) -> list[str]:
	return frappe.get_all("User Permission", filters={"user": user, "allow": "Structure"}, pluck="for_value")


def test_la_structure_et_son_responsable_sont_crees(sans_envoi_d_e_mails):
	resultat = provisionner(STRUCTURE, "Marie.Dupont@Zephyrville.fr")

	assert resultat.structure_creee and resultat.responsable_invite and resultat.compte_cree
	structure = frappe.get_doc("Structure", STRUCTURE)
	assert (structure.type_structure, structure.prefixe_dossier) == ("CCAS", "ZEP")
	assert [row.user for row in structure.responsables] == [RESPONSABLE_EMAIL]

	user = frappe.get_doc("User", RESPONSABLE_EMAIL)
	assert (user.first_name, user.last_name, user.language, user.enabled) == ("Marie", "Dupont", "fr", 1)
	roles = frappe.get_roles(RESPONSABLE_EMAIL)
	assert RESPONSABLE in roles
	assert not {"System Manager", ADMINISTRATEUR}.intersection(roles)
	# Restricted to this structure, and to it only.
	assert structures_de(RESPONSABLE_EMAIL) == [STRUCTURE]
	with as_user(RESPONSABLE_EMAIL):
		assert frappe.get_list("Structure", pluck="name") == [STRUCTURE]

	# No e-mail can be sent: the one-time link where the responsable chooses a password.
	assert resultat.lien_mot_de_passe.startswith(frappe.utils.get_url("/update-password?key="))
	assert resultat.url == frappe.utils.get_url()


def test_le_site_est_en_francais(sans_envoi_d_e_mails):
	provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	settings = frappe.get_single("System Settings")
	assert settings.setup_complete == 1
	assert (settings.language, settings.country, settings.time_zone) == ("fr", "France", "Europe/Paris")
	assert (settings.date_format, settings.number_format) == ("dd/mm/yyyy", "# ###,##")
	assert frappe.db.get_default("currency") == "EUR"
	assert frappe.db.exists("User", f"exploitation@{frappe.local.site}")


def test_relancer_ne_duplique_rien(sans_envoi_d_e_mails):
	provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	# Same command again, with the name typed differently and the prefix spelled out.
	again = provisionner(
		"ccas de  zéphyrville", RESPONSABLE_EMAIL.upper(), prefixe="zep", type_structure="ccas"
	)

	assert not again.structure_creee and not again.responsable_invite
	assert (again.structure, again.prefixe) == (STRUCTURE, "ZEP")
	assert frappe.db.count("Structure", {"raison_sociale": STRUCTURE}) == 1
	assert len(frappe.get_doc("Structure", STRUCTURE).responsables) == 1
	assert structures_de(RESPONSABLE_EMAIL) == [STRUCTURE]
	assert frappe.db.count("User", {"name": RESPONSABLE_EMAIL}) == 1


def test_relancer_donne_un_nouveau_lien_tant_que_le_responsable_ne_s_est_pas_connecte(
	sans_envoi_d_e_mails,
):
	"""The first link expires after System Settings' reset_password_link_expiry_duration."""
	premier = provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	assert premier.validite_du_lien == 20
	again = provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	assert again.lien_mot_de_passe.startswith(frappe.utils.get_url("/update-password?key="))
	assert again.lien_mot_de_passe != premier.lien_mot_de_passe
	frappe.db.set_value("User", RESPONSABLE_EMAIL, "last_login", frappe.utils.now())
	assert provisionner(STRUCTURE, RESPONSABLE_EMAIL).lien_mot_de_passe is None


def test_une_seconde_structure_sur_le_meme_site(sans_envoi_d_e_mails):
	"""An intercommunal group: two structures on one site, each responsable sees only theirs."""
	provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	autre = provisionner(
		"Centre social de Zéphyrville",
		"paul.martin@zephyrville.fr",
		prefixe="CSZ",
		type_structure="Centre social",
	)
	assert autre.structure_creee
	assert frappe.db.get_value("Structure", autre.structure, "type_structure") == "Centre social"
	with as_user("paul.martin@zephyrville.fr"):
		assert frappe.get_list("Structure", pluck="name") == [autre.structure]
	with as_user(RESPONSABLE_EMAIL):
		assert frappe.get_list("Structure", pluck="name") == [STRUCTURE]


@pytest.mark.parametrize(
	"saisie, debut",
	[
		(dict(structure=""), "Structure : le nom de la structure est obligatoire"),
		(dict(structure="CCAS <b>"), "Structure : le nom ne doit contenir ni < ni >"),
		(dict(structure="C" * 141), "Structure : le nom ne doit pas dépasser 140 caractères"),
		(dict(responsable=""), "Responsable : l'adresse e-mail du responsable est obligatoire"),
		(
			dict(responsable="marie.dupont"),
			"Responsable : « marie.dupont » n'est pas une adresse e-mail valide",
		),
		(
			dict(responsable="accueil@zephyrville.fr"),
			"Responsable : impossible de déduire le prénom et le nom",
		),
		(dict(prefixe="Z"), "Préfixe : « Z » doit compter 2 à 10 lettres ou chiffres"),
		(dict(prefixe="ZÉP"), "Préfixe : « ZÉP » doit compter 2 à 10 lettres ou chiffres"),
		(dict(type_structure="Mairie"), "Type : « Mairie » n'est pas un type de structure (CCAS, CIAS"),
	],
)
def test_une_saisie_invalide_est_refusee_en_francais(sans_envoi_d_e_mails, saisie, debut):
	valeurs = dict(structure=STRUCTURE, responsable=RESPONSABLE_EMAIL) | saisie
	with pytest.raises(ProvisionnementRefuse) as refus:
		provisionner(**valeurs)
	assert str(refus.value).startswith(debut), str(refus.value)
	assert not frappe.db.exists("Structure", STRUCTURE)
	assert not frappe.db.exists("User", RESPONSABLE_EMAIL)


def test_un_nom_de_structure_deja_pris_est_refuse(sans_envoi_d_e_mails):
	provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	with pytest.raises(ProvisionnementRefuse, match=f"^Structure : « {STRUCTURE} » existe déjà sur ce site"):
		provisionner(STRUCTURE, "jean.autre@zephyrville.fr")
	assert not frappe.db.exists("User", "jean.autre@zephyrville.fr")
	with pytest.raises(
		ProvisionnementRefuse, match="^Préfixe : la structure .* existe déjà avec le préfixe ZEP"
	):
		provisionner(STRUCTURE, RESPONSABLE_EMAIL, prefixe="ZEPH")
	with pytest.raises(ProvisionnementRefuse, match="^Type : la structure .* existe déjà avec le type CCAS"):
		provisionner(STRUCTURE, RESPONSABLE_EMAIL, type_structure="CIAS")


def test_un_prefixe_deja_pris_est_refuse(sans_envoi_d_e_mails):
	provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	with pytest.raises(
		ProvisionnementRefuse, match=f"^Préfixe : ZEP est déjà celui de la structure « {STRUCTURE} »"
	):
		provisionner("CIAS de Zéphyr", "jean.autre@zephyrville.fr")
	assert not frappe.db.exists("Structure", "CIAS de Zéphyr")


@pytest.mark.parametrize("role", ["System Manager", ADMINISTRATEUR])
def test_un_compte_qui_voit_toutes_les_structures_ne_devient_pas_responsable(sans_envoi_d_e_mails, role):
	"""Otherwise this structure's responsable would see every structure of the site."""
	admin = make_user("direction.generale@zephyrville.fr", role)
	with pytest.raises(ProvisionnementRefuse, match="^Responsable : .* a des droits d'administration"):
		provisionner(STRUCTURE, admin)
	assert not frappe.db.exists("Structure", STRUCTURE)
	assert RESPONSABLE not in frappe.get_roles(admin)


def test_le_responsable_ne_recoit_jamais_system_manager_de_frappe(sans_envoi_d_e_mails):
	"""Frappe makes a new user System Manager when no other one is enabled: refused, not granted."""
	gestionnaires = frappe.get_all(
		"Has Role",
		filters={"parenttype": "User", "role": "System Manager", "parent": ("!=", "Administrator")},
		pluck="parent",
	)
	try:
		for user in gestionnaires:
			frappe.db.set_value("User", user, "enabled", 0)
		with pytest.raises(ProvisionnementRefuse, match="^Responsable : Frappe donnerait .* System Manager"):
			provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	finally:
		frappe.db.rollback()
		for user in gestionnaires:
			frappe.clear_document_cache("User", user)
	assert not frappe.db.exists("User", RESPONSABLE_EMAIL)


def test_un_agent_d_une_structure_peut_devenir_responsable_d_une_autre(sans_envoi_d_e_mails):
	"""Several structures per site: an existing account is attached, not duplicated."""
	provisionner(STRUCTURE, RESPONSABLE_EMAIL)
	autre = provisionner("CIAS du Val Zéphyr", RESPONSABLE_EMAIL)
	assert autre.responsable_invite and not autre.compte_cree and autre.lien_mot_de_passe is None
	assert sorted(structures_de(RESPONSABLE_EMAIL)) == sorted([STRUCTURE, "CIAS du Val Zéphyr"])


def test_seul_l_exploitant_met_en_place_une_structure(sans_envoi_d_e_mails):
	responsable = make_user("resp.ailleurs@zephyrville.fr", RESPONSABLE)
	travailleur = make_user("ts.ailleurs@zephyrville.fr", TRAVAILLEUR_SOCIAL)
	for user in (responsable, travailleur):
		with as_user(user), pytest.raises(frappe.PermissionError):
			provisionner(STRUCTURE, RESPONSABLE_EMAIL)
		assert not frappe.db.exists("Structure", STRUCTURE)


@pytest.mark.parametrize(
	"nom, prefixe",
	[
		("CCAS de Montreuil", "MON"),
		("CIAS du Val de Loire", "VL"),
		("Centre communal d'action sociale de Saint-Étienne", "SE"),
		("CCAS", "CCA"),
	],
)
def test_prefixe_deduit_du_nom(nom, prefixe):
	assert ccas.prefixe_de(nom) == prefixe


def test_prenom_et_nom_deduits_de_l_adresse():
	assert ccas.prenom_nom_de("jean-pierre.le_goff@x.fr") == ("Jean-Pierre", "Le Goff")
	assert ccas.prenom_nom_de("direction@x.fr") is None


# The dev server ---------------------------------------------------------------------------------


def site_vu_par(app, host: str, **environ) -> str | None:
	"""The site header the inner application receives for a request to this host."""
	vu = {}

	def interieur(env, start_response):
		vu["site"] = env.get(serveur.EN_TETE_SITE)
		start_response("200 OK", [])
		return [b""]

	from werkzeug.test import Client

	Client(serveur.SiteParNom(interieur, *app)).get("/", headers={"Host": host, **environ})
	return vu["site"]


def test_chaque_site_est_servi_sous_son_nom_et_localhost_par_le_site_par_defaut():
	app = (str(SITES), "suivi.localhost")
	# A site of sites/: Frappe reads its name from the Host header itself.
	assert site_vu_par(app, f"{frappe.local.site}:8000") is None
	# Any other host gets the default site, as bench's nginx and Frappe's socketio do.
	assert site_vu_par(app, "localhost:8000") == "suivi.localhost"
	assert site_vu_par(app, "192.168.1.10:8000") == "suivi.localhost"
	assert (
		site_vu_par(app, "localhost:8000", **{"X-Frappe-Site-Name": "autre.localhost"}) == "autre.localhost"
	)
	# serve_default_site false: no fallback.
	assert site_vu_par((str(SITES), None), "localhost:8000") is None


def test_les_fichiers_publics_sont_ceux_du_site_servi(tmp_path):
	from werkzeug.test import Client

	for site, texte in (("a.localhost", b"A"), ("b.localhost", b"B")):
		(tmp_path / site / "public" / "files").mkdir(parents=True)
		(tmp_path / site / "site_config.json").write_text("{}")
		(tmp_path / site / "public" / "files" / "logo.txt").write_bytes(texte)

	def introuvable(env, start_response):
		start_response("404 Not Found", [])
		return [b""]

	app = serveur.SiteParNom(
		serveur.FichiersPublics(introuvable, {"/files": str(tmp_path)}), str(tmp_path), "a.localhost"
	)
	client = Client(app)
	assert client.get("/files/logo.txt", headers={"Host": "b.localhost:8000"}).data == b"B"
	assert client.get("/files/logo.txt", headers={"Host": "localhost:8000"}).data == b"A"
	# A site name from the request never leads out of sites/ (here, back into it through "..").
	detour = f"../{tmp_path.name}/a.localhost"
	reponse = client.get("/files/logo.txt", headers={"Host": "b.localhost", "X-Frappe-Site-Name": detour})
	assert reponse.status_code == 404


# End to end: ./suivi new-ccas on a real new site ------------------------------------------------

# One per test site, so that test runs on two test sites of one bench never share it.
SITE_E2E = f"essai-ci-{TEST_SITE.split('.')[0]}.localhost"

# Runs in sites/, in a process of its own (a request re-initialises Frappe's locals): logs in through
# the dev server's WSGI application with the new site's Host header, with an Administrator password
# that only the new site's database knows, and reads what the site holds.
VERIFICATION_HTTP = """
import json, sys
from werkzeug.test import Client
from suivi_social.setup.serveur import application

site, mot_de_passe = sys.argv[1:3]
client = Client(application("."))
base = f"http://{site}:8000"
# base_url sets the Host header (werkzeug ignores the host of a full URL given as the path).
connexion = client.post(
	"/api/method/login", base_url=base, data={"usr": "Administrator", "pwd": mot_de_passe}
)
assert connexion.status_code == 200, (connexion.status_code, connexion.text[:500])

def lire(chemin, **params):
	reponse = client.get(chemin, base_url=base, query_string=params)
	assert reponse.status_code == 200, (chemin, reponse.status_code, reponse.text[:500])
	return reponse.json["data"]

print(json.dumps({
	"structures": lire("/api/resource/Structure", fields='["name", "type_structure", "prefixe_dossier"]'),
	"reglages": lire("/api/resource/System Settings/System Settings"),
	"utilisateurs": {
		u["name"]: [r["role"] for r in lire(f"/api/resource/User/{u['name']}")["roles"]]
		for u in lire("/api/resource/User", filters='[["name", "like", "%@essai-ci.fr"]]')
	},
	"permissions": lire(
		"/api/resource/User Permission", fields='["user", "allow", "for_value"]', limit_page_length=100
	),
}))
"""


def nouveau_ccas(*args: str, mot_de_passe: str) -> subprocess.CompletedProcess:
	return subprocess.run(
		[str(BENCH / "suivi"), "new-ccas", *args],
		cwd=BENCH,
		env=bench_env() | {"SUIVI_ADMIN_PASSWORD": mot_de_passe},
		capture_output=True,
		text=True,
		timeout=900,
	)


def lire_par_http(mot_de_passe: str) -> dict:
	sortie = subprocess.run(
		[sys.executable, "-c", VERIFICATION_HTTP, SITE_E2E, mot_de_passe],
		cwd=SITES,
		capture_output=True,
		text=True,
		timeout=300,
		check=True,
	)
	return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_suivi_new_ccas_cree_un_site_servi_sous_son_nom():
	"""The real command, once: creates a site (about a minute), which answers by its Host header."""
	mot_de_passe = "Essai-" + secrets.token_urlsafe(12)
	commande = (
		SITE_E2E,
		"--structure",
		"CCAS Essai CI",
		"--responsable",
		"marie.dupont@essai-ci.fr",
		"--prefixe",
		"eci",
	)
	supprimer_site(SITE_E2E)  # left over by an interrupted run
	try:
		creation = nouveau_ccas(*commande, mot_de_passe=mot_de_passe)
		assert creation.returncode == 0, creation.stdout + creation.stderr
		assert f"http://{SITE_E2E}:8000/update-password?key=" in creation.stdout
		assert f"Adresse du site : http://{SITE_E2E}:8000" in creation.stdout

		site = lire_par_http(mot_de_passe)
		assert site["structures"] == [
			{"name": "CCAS Essai CI", "type_structure": "CCAS", "prefixe_dossier": "ECI"}
		]
		reglages = site["reglages"]
		assert (reglages["language"], reglages["time_zone"], reglages["setup_complete"]) == (
			"fr",
			"Europe/Paris",
			1,
		)
		# Rappels and notifications run on a real CCAS site (the wizard turns the scheduler on).
		assert reglages["enable_scheduler"] == 1
		# Its backups are encrypted with a key of its own, which the command never prints.
		assert reglages["encrypt_backup"] == 1
		cle = json.loads((SITES / SITE_E2E / "site_config.json").read_text())["backup_encryption_key"]
		assert cle not in creation.stdout + creation.stderr
		roles = site["utilisateurs"]["marie.dupont@essai-ci.fr"]
		# The new site's first desk user: Responsable, never System Manager.
		assert RESPONSABLE in roles and "System Manager" not in roles
		assert [p for p in site["permissions"] if p["user"] == "marie.dupont@essai-ci.fr"] == [
			{"user": "marie.dupont@essai-ci.fr", "allow": "Structure", "for_value": "CCAS Essai CI"}
		]

		# Run again: nothing new, and it says so; a second structure joins the same site.
		relance = nouveau_ccas(*commande, mot_de_passe=mot_de_passe)
		assert relance.returncode == 0, relance.stdout + relance.stderr
		assert "existe déjà sur ce site" in relance.stdout and "rien n'a changé" in relance.stdout
		assert "Création du site" not in relance.stdout
		seconde = nouveau_ccas(
			SITE_E2E,
			"--structure",
			"Centre social Essai CI",
			"--responsable",
			"paul.martin@essai-ci.fr",
			"--type",
			"Centre social",
			mot_de_passe=mot_de_passe,
		)
		assert seconde.returncode == 0, seconde.stdout + seconde.stderr
		site = lire_par_http(mot_de_passe)
		assert sorted(s["name"] for s in site["structures"]) == ["CCAS Essai CI", "Centre social Essai CI"]
		assert sorted(site["utilisateurs"]) == ["marie.dupont@essai-ci.fr", "paul.martin@essai-ci.fr"]

		# Bad input is refused before anything is created.
		refus = nouveau_ccas(
			"Essai CI", "--structure", "X", "--responsable", "x.y@z.fr", mot_de_passe=mot_de_passe
		)
		assert refus.returncode != 0 and "Nom de site invalide : « Essai CI »" in refus.stderr
		refus = nouveau_ccas(
			SITE_E2E.replace("essai-ci-", "essai-refus-"),
			"--structure",
			"X",
			"--responsable",
			"x",
			mot_de_passe=mot_de_passe,
		)
		assert (
			refus.returncode != 0
			and "Responsable : « x » n'est pas une adresse e-mail valide" in refus.stderr
		)
		assert not (SITES / SITE_E2E.replace("essai-ci-", "essai-refus-")).exists()
	finally:
		supprimer_site(SITE_E2E)
	assert not (SITES / SITE_E2E).exists()
