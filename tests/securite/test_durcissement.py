"""Authentication and platform hardening (issue 10 §4): the settings the app sets, and their effect
through Frappe's real login and request cycle.

Logins are real `POST /api/method/login` requests (tests/securite/test_http.py `requete`), with a
cookie jar per « browser »; each user is created and committed here, and deleted afterwards."""

from unittest.mock import patch

import frappe
import pyotp
import pytest
from frappe.twofactor import get_otpsecret_for_
from frappe.utils.password import update_password
from werkzeug.test import Client

from suivi_social import durcissement
from suivi_social.install import SECURITY_SETTINGS
from suivi_social.roles import ADMINISTRATEUR, AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
from tests.factories import make_user
from tests.securite.test_http import cles, get, requete  # cles: a fixture

MOT_DE_PASSE = "Durci-Connexion!2026-Qv7"
DOMAINE = "durcissement.test"


def navigateur() -> Client:
	"""A client that keeps its cookies (the session) from one request to the next."""
	from frappe.app import application

	return Client(application)


def connexion(client: Client, usr: str, pwd: str, **autres):
	"""The login page's call, from a browser set to French."""
	return requete(
		"POST",
		None,
		"/api/method/login",
		client=client,
		entetes={"Accept-Language": "fr-FR,fr;q=0.9"},
		usr=usr,
		pwd=pwd,
		**autres,
	)


def utilisateur_connecte(client: Client) -> str:
	r = requete("GET", None, "/api/method/frappe.auth.get_logged_user", client=client)
	return r.json.get("message") if r.status_code == 200 else "Guest"


def oublier_les_echecs(*cles_de_suivi: str) -> None:
	"""Frappe counts failed logins per user and per IP address in Redis (auth.LoginAttemptTracker):
	what a test leaves there would lock the other logins of the run (same user, same address)."""
	for cle in cles_de_suivi:
		frappe.cache.hdel("login_failed_count", cle)
		frappe.cache.hdel("login_failed_time", cle)


@pytest.fixture(scope="module")
def comptes(_monde):
	"""One committed user per role, with a password, kept from one run to the next like the
	browser tests' accounts (creating users costs seconds); the failed-login counters are reset."""
	roles = {
		"responsable": RESPONSABLE,
		"administrateur": ADMINISTRATEUR,
		"travailleur": TRAVAILLEUR_SOCIAL,
		"accueil": AGENT_ACCUEIL,
	}
	users = {}
	for cle, role in roles.items():
		email = f"{cle}@{DOMAINE}"
		structures = () if role == ADMINISTRATEUR else (_monde.a,)
		users[cle] = make_user(email, role, structures=structures)
		update_password(email, MOT_DE_PASSE)
	frappe.db.commit()
	yield users
	oublier_les_echecs("127.0.0.1", *users.values())


# --- Settings --------------------------------------------------------------------------------


def test_reglages_de_securite_du_site():
	"""What `install.apply_security_settings` sets on install and on every migrate."""
	attendus = {
		"enable_password_policy": 1,
		"minimum_password_score": "3",
		"force_user_to_reset_password": 180,
		"allow_consecutive_login_attempts": 4,
		"allow_login_after_fail": 300,
		"session_expiry": "08:00",
		"login_with_email_link": 0,
		"enable_two_factor_auth": 1,
		"two_factor_method": "OTP App",
		"bypass_2fa_for_retricted_ip_users": 0,
		"enable_telemetry": 0,
		"disable_system_update_notification": 1,
	}
	reglages = frappe.get_single("System Settings")
	assert {champ: reglages.get(champ) for champ in attendus} == attendus
	assert {champ: attendus[champ] for champ in attendus if champ in SECURITY_SETTINGS} == {
		champ: valeur for champ, valeur in SECURITY_SETTINGS.items() if champ in attendus
	}


def test_reglage_affaibli_retabli_a_la_migration():
	from suivi_social.install import apply_security_settings

	frappe.db.set_single_value("System Settings", {"minimum_password_score": "2", "session_expiry": "170:00"})
	apply_security_settings()
	assert frappe.db.get_single_value("System Settings", "minimum_password_score") == "3"
	assert frappe.db.get_single_value("System Settings", "session_expiry") == "08:00"


def test_mot_de_passe_faible_refuse(comptes):
	"""Through the desk's « Changer le mot de passe » call (the policy is skipped in-process when
	frappe.flags.in_test is set, so it is checked over HTTP)."""
	client = navigateur()
	assert connexion(client, comptes["accueil"], MOT_DE_PASSE).json["message"] == "Logged In"
	r = requete(
		"POST",
		None,
		"/api/method/frappe.core.doctype.user.user.update_password",
		client=client,
		new_password="azerty2026",
		old_password=MOT_DE_PASSE,
	)
	assert r.status_code == 417
	assert "Mot de passe" in r.text or "mot de passe" in r.text
	frappe.db.rollback()
	from frappe.utils.password import check_password

	assert check_password(comptes["accueil"], MOT_DE_PASSE)


def test_double_authentification_exigee_par_role(comptes):
	"""Required from the Responsable, the Administrateur and the operator; not from every user,
	even after System Settings is saved (Frappe then turns it on for the role « All »)."""
	from frappe.twofactor import two_factor_is_enabled_for_

	reglages = frappe.get_single("System Settings")
	reglages.flags.ignore_mandatory = True
	reglages.save(ignore_permissions=True)
	exigee = set(frappe.get_all("Role", filters={"two_factor_auth": 1}, pluck="name"))
	assert exigee == {RESPONSABLE, ADMINISTRATEUR, "System Manager"}
	assert not frappe.db.get_value("Role", "All", "two_factor_auth")
	assert two_factor_is_enabled_for_(comptes["responsable"])
	assert two_factor_is_enabled_for_(comptes["administrateur"])
	assert not two_factor_is_enabled_for_(comptes["travailleur"])
	assert not two_factor_is_enabled_for_(comptes["accueil"])


def test_cle_de_demonstration_des_roles_a_double_authentification(comptes):
	"""The demo site sends no e-mail: its Responsable and Administrateur get the key the README
	gives; the other roles get none."""
	from suivi_social import demo

	utilisateurs = [(comptes["responsable"],), (comptes["travailleur"],)]
	try:
		for email, *_ in utilisateurs:
			frappe.db.delete("DefaultValue", {"parent": "__2fa", "defkey": ("like", f"{email}_%")})
		frappe.defaults._clear_cache("__2fa")
		with patch.object(demo, "USERS", utilisateurs):
			demo._ensure_double_authentification()
		assert get_otpsecret_for_(comptes["responsable"]) == demo.CLE_DOUBLE_AUTHENTIFICATION
		assert frappe.db.get_default(comptes["responsable"] + "_otplogin", parent="__2fa")
		assert not frappe.db.get_default(comptes["travailleur"] + "_otpsecret", parent="__2fa")
	finally:
		frappe.db.rollback()
		frappe.defaults._clear_cache("__2fa")


def test_telemetrie_coupee():
	"""No PostHog client, even with PostHog keys in the site config, and nothing in the boot."""
	from frappe.utils import telemetry

	if hasattr(frappe.local, "posthog"):
		del frappe.local.posthog
	with patch.dict(frappe.local.conf, {"posthog_project_id": "phc_x", "posthog_host": "https://ph.example"}):
		telemetry.init_telemetry()
		boot = frappe._dict()
		telemetry.add_bootinfo(boot)
	assert not hasattr(frappe.local, "posthog")
	assert not boot.get("enable_telemetry")


# --- Logins ----------------------------------------------------------------------------------


def test_blocage_apres_cinq_echecs(comptes):
	email = comptes["travailleur"]
	oublier_les_echecs(email, "127.0.0.1")
	client = navigateur()
	try:
		for _ in range(5):
			assert connexion(client, email, "mauvais-mot-de-passe").status_code == 401
		r = connexion(client, email, MOT_DE_PASSE)
		assert r.status_code == 401
		assert "Votre compte a été verrouillé" in r.json["exception"]
		assert utilisateur_connecte(client) == "Guest"
	finally:
		oublier_les_echecs(email, "127.0.0.1")
	# Once unlocked (the interval has passed), the right password opens the session.
	assert connexion(client, email, MOT_DE_PASSE).json["message"] == "Logged In"
	assert utilisateur_connecte(client) == email


@pytest.mark.parametrize("role", ["responsable", "administrateur"])
def test_double_authentification_pour_finir_la_connexion(comptes, role):
	"""The password alone does not open a session; a wrong code neither; the code of the
	authenticator app (computed here from the user's secret, as the app does) does."""
	email = comptes[role]
	client = navigateur()
	r = connexion(client, email, MOT_DE_PASSE)
	assert r.status_code == 200
	assert r.json.get("verification") and r.json.get("tmp_id")
	assert r.json.get("message") != "Logged In"
	assert utilisateur_connecte(client) == "Guest"

	mauvais = connexion(client, email, MOT_DE_PASSE, tmp_id=r.json["tmp_id"], otp="000000")
	assert mauvais.status_code == 401
	assert utilisateur_connecte(client) == "Guest"

	frappe.db.rollback()  # a new snapshot: the secret was created and committed by the request
	code = pyotp.TOTP(get_otpsecret_for_(email)).now()
	ok = connexion(client, email, MOT_DE_PASSE, tmp_id=r.json["tmp_id"], otp=code)
	assert ok.json.get("message") == "Logged In", ok.json
	assert utilisateur_connecte(client) == email


def test_travailleur_sans_double_authentification(comptes):
	client = navigateur()
	r = connexion(client, comptes["accueil"], MOT_DE_PASSE)
	assert r.json.get("message") == "Logged In"
	assert "verification" not in r.json


def test_connexion_par_lien_e_mail_refusee(comptes):
	"""The e-mail login link (`login_via_key` → `login_as`) would skip two-factor authentication:
	asking for one creates no key (Frappe rate-limits the call: 429 after 5 an hour)."""

	def cles_de_connexion():
		return set(frappe.cache.get_keys("one_time_login_key:"))

	avant = cles_de_connexion()
	r = requete("POST", None, "/api/method/frappe.www.login.send_login_link", email=comptes["responsable"])
	assert r.status_code in (200, 429)
	assert cles_de_connexion() == avant


# --- Headers ---------------------------------------------------------------------------------

ENTETES_ATTENDUES = {
	"X-Frame-Options": "SAMEORIGIN",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy": "same-origin",
}


def test_entetes_sur_une_page_du_bureau(monde, cles):  # noqa: F811
	r = get(cles[monde.ts_a], "/app/beneficiaire")
	assert r.status_code == 200 and r.mimetype == "text/html"
	assert {k: r.headers.get(k) for k in ENTETES_ATTENDUES} == ENTETES_ATTENDUES
	assert r.headers["Content-Security-Policy"] == durcissement.CONTENT_SECURITY_POLICY
	assert "frame-ancestors 'self'" in r.headers["Content-Security-Policy"]
	# Served over plain HTTP (./suivi run): no HSTS, which would lock the browser out.
	assert "Strict-Transport-Security" not in r.headers


def test_entetes_sur_une_reponse_de_l_api(monde, cles):  # noqa: F811
	r = get(cles[monde.ts_a], "/api/resource/Beneficiaire")
	assert r.status_code == 200
	assert {k: r.headers.get(k) for k in ENTETES_ATTENDUES} == ENTETES_ATTENDUES


def test_entetes_sur_une_erreur_et_hsts_derriere_https(monde, cles):  # noqa: F811
	r = get(cles[monde.ts_a], f"/api/resource/Beneficiaire/{monde.ben_b.name}")
	assert r.status_code == 403
	assert {k: r.headers.get(k) for k in ENTETES_ATTENDUES} == ENTETES_ATTENDUES
	# Behind nginx terminating HTTPS, as in production.
	r = requete("GET", cles[monde.ts_a], "/api/method/ping", entetes={"X-Forwarded-Proto": "https"})
	assert r.headers.get("Strict-Transport-Security") == durcissement.STRICT_TRANSPORT_SECURITY
