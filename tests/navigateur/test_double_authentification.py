"""Two-factor authentication on the real login page (suivi_social/durcissement.py): the Responsable
de structure gives their password, then the code of their authenticator app; until then the desk
stays closed. The code is computed from the user's key, as the app on their phone does."""

import re

from playwright.sync_api import expect

from tests.navigateur.donnees import MOT_DE_PASSE
from tests.navigateur.outils import attendre_desk, capture, code_de_verification, saisir_code_de_verification


def test_le_responsable_saisit_le_code_de_son_application(roles):
	page = roles.page(roles.nouveau_contexte())
	try:
		page.goto(f"{roles.base_url}/login")
		page.locator("#login_email").fill(roles.monde.comptes["responsable"])
		page.locator("#login_password").fill(MOT_DE_PASSE)
		page.locator("form.form-login button.btn-login").click()

		formulaire = page.locator("form.form-verify")
		expect(formulaire.get_by_text("Vérification", exact=True)).to_be_visible()
		expect(formulaire.locator("#login_token")).to_have_attribute("placeholder", "Code de vérification")
		capture(page, "double-authentification-code-demande")

		# The password alone opened no session: the desk sends back to the login page.
		bureau = roles.page(page.context)
		bureau.goto(f"{roles.base_url}/app/suivi-social")
		bureau.wait_for_url(re.compile(r"/login"))
		roles.surveillances.pop(bureau).verifier()
		bureau.close()

		saisir_code_de_verification(page, code_de_verification(roles.monde.comptes["responsable"]))
		page.wait_for_url(re.compile(r"/app(/|$)"))
		attendre_desk(page)
	finally:
		roles.surveillances.pop(page).verifier()
		page.close()
