"""The watch over each page (outils.Surveillance) does see what it must fail a test on: without
it, a server error during a browser test could go unnoticed."""

import json

from tests.navigateur.outils import attendre_requetes, ouvrir

# What Frappe answers when a whitelisted method raises an unexpected exception (frappe/app.py).
REPONSE_500 = {
	"exception": "TypeError: doublons_probables() missing 1 required positional argument: 'structure'",
	"exc_type": "TypeError",
	"exc": json.dumps(
		[
			'Traceback (most recent call last):\n  File "apps/frappe/frappe/app.py"\nTypeError: '
			"doublons_probables() missing 1 required positional argument: 'structure'"
		]
	),
}


def test_la_surveillance_releve_les_erreurs(onglet, roles):
	page = onglet("travailleur")
	surveillance = roles.surveillances[page]
	ouvrir(page, roles.base_url, "/app/beneficiaire")
	assert not surveillance.problemes, surveillance.problemes

	# An unexpected exception on the server: HTTP 500 and the « Erreur du Serveur » dialog.
	page.route(
		"**/api/method/suivi_social.api.beneficiaire.doublons_probables",
		lambda route: route.fulfill(
			status=500, content_type="application/json", body=json.dumps(REPONSE_500)
		),
	)
	page.evaluate("() => frappe.call('suivi_social.api.beneficiaire.doublons_probables').catch(() => null)")
	page.locator(".modal.show .modal-title", has_text="Erreur du Serveur").wait_for()
	page.keyboard.press("Escape")
	# A request the server refuses (HTTP 417 and a red message).
	page.evaluate("() => frappe.call('frappe.client.get_value').catch(() => null)")
	attendre_requetes(page)
	# A missing file, and a JavaScript error.
	page.evaluate("() => fetch('/assets/suivi_social/absent.js')")
	page.evaluate("() => setTimeout(() => { throw new Error('erreur volontaire'); })")
	page.wait_for_timeout(300)

	releves = "\n".join(surveillance.problemes)
	assert "HTTP 500" in releves
	assert "boîte « Erreur du Serveur » (HTTP 500)" in releves and "TypeError" in releves
	assert "HTTP 417" in releves and "message d'erreur affiché" in releves
	assert "HTTP 404" in releves and "absent.js" in releves
	assert "erreur JavaScript : erreur volontaire" in releves
	assert "console.error" in releves
	# All provoked on purpose: the teardown must not fail this test.
	surveillance.problemes.clear()
	page.keyboard.press("Escape")
