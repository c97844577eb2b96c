"""The Responsable shapes the Bénéficiaire form with Frappe's Customize Form, without being System
Manager (suivi_social/personnalisation/): a field added in the form builder appears, with its French
label, in the structure's files; a core DocType is refused, in French."""

import frappe
import pytest
from playwright.sync_api import expect

from tests.navigateur.donnees import STRUCTURE
from tests.navigateur.outils import attendre_requetes, boite, capture, champ, formulaire_pret, ouvrir

LIBELLE = "Bailleur social"
CHAMP = "custom_bailleur_social"  # Customize Form names a new field after its label


def supprimer_le_champ(fieldname: str = CHAMP) -> None:
	frappe.db.rollback()
	for name in frappe.get_all(
		"Custom Field", filters={"dt": "Beneficiaire", "fieldname": fieldname}, pluck="name"
	):
		frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	if frappe.db.has_column("Beneficiaire", fieldname):
		frappe.db.sql_ddl(f"alter table `tabBeneficiaire` drop column `{fieldname}`")
	frappe.db.commit()
	frappe.clear_cache(doctype="Beneficiaire")


@pytest.fixture
def champ_du_navigateur():
	"""The field the browser adds is committed by the web server (with its column): removed before
	and after, so that the other browser tests see the form as the app ships it."""
	supprimer_le_champ()
	yield
	supprimer_le_champ()


def personnaliser_le_formulaire(page, base_url: str, doctype: str) -> None:
	ouvrir(page, base_url, f"/app/customize-form?doc_type={doctype}")
	formulaire_pret(page, "Customize Form")


def ajouter_un_champ_texte(page, libelle: str, prefixe: str) -> None:
	"""In the open form builder of Bénéficiaire: « Add field » under the first column of the first
	section, type « Données », its label, then « Mettre à Jour »."""
	colonne = page.locator(".form-builder-container .column:visible").first
	colonne.hover()
	colonne.locator(".add-new-field-btn button").click()
	page.locator("#autocomplete-area input.search-input:visible").fill("Donn")
	page.locator("#autocomplete-area .combo-box-option:visible", has_text="Données").first.click()
	proprietes = page.locator(".form-builder-container .frappe-control[data-fieldname='label']:visible")
	proprietes.locator("input").fill(libelle)
	expect(colonne.locator(".field", has_text=libelle)).to_be_visible()
	capture(page, f"{prefixe}-1-champ-ajoute")

	page.locator(".page-head:visible .primary-action", has_text="Mettre à Jour").click()
	expect(page.locator(".alert-message", has_text="Bénéficiaire mis(e) à jour")).to_be_visible()
	attendre_requetes(page)
	capture(page, f"{prefixe}-2-formulaire-mis-a-jour")


def test_le_responsable_ajoute_un_champ_au_dossier(onglet, roles, monde_nv, champ_du_navigateur):
	page = onglet("responsable")
	personnaliser_le_formulaire(page, roles.base_url, "Beneficiaire")
	# Customize Form loads the DocType given in the address about a second after opening.
	page.wait_for_function(
		"() => cur_frm.doc.doc_type === 'Beneficiaire' && document.querySelector('.form-builder-container .column')"
	)
	attendre_requetes(page)
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Bénéficiaire")
	# The System Manager's buttons are not offered (permissions, dropping columns).
	page.locator(".page-head:visible .inner-group-button button", has_text="Actions").click()
	menu = page.locator(".page-head:visible .dropdown-menu.show")
	expect(menu).to_contain_text("Réinitialiser la mise en page")
	expect(menu.locator(".dropdown-item", has_text="Trim Table")).to_have_count(0)
	expect(menu.locator(".dropdown-item", has_text="Définir les Autorisations")).to_have_count(0)
	page.keyboard.press("Escape")
	ajouter_un_champ_texte(page, LIBELLE, "personnalisation")

	frappe.db.rollback()
	champ = frappe.db.get_value(
		"Custom Field",
		{"dt": "Beneficiaire", "fieldname": CHAMP},
		["label", "owner", "permlevel"],
		as_dict=True,
	)
	assert champ == {"label": LIBELLE, "owner": monde_nv.comptes["responsable"], "permlevel": 0}

	# A file of the structure shows the new field, with its French label, in its first tab.
	ouvrir(page, roles.base_url, f"/app/beneficiaire/{monde_nv.dossier_claire}")
	formulaire_pret(page, "Beneficiaire")
	controle = page.locator(f".frappe-control[data-fieldname='{CHAMP}']:visible")
	expect(controle.locator(".control-label")).to_have_text(LIBELLE)
	controle.locator("input").fill("Habitat Lumière")
	page.keyboard.press("Control+s")
	expect(page.locator(".alert-message", has_text="Enregistré")).to_be_visible()
	capture(page, "personnalisation-3-dossier-avec-le-champ")
	frappe.db.rollback()
	assert frappe.db.get_value("Beneficiaire", monde_nv.dossier_claire, CHAMP) == "Habitat Lumière"


def test_un_type_de_document_du_coeur_est_refuse(onglet, roles):
	page = onglet("responsable")
	surveillance = roles.surveillances[page]
	personnaliser_le_formulaire(page, roles.base_url, "ToDo")
	message = page.locator(".modal.show .msgprint", has_text="seuls les types de document de Suivi social")
	expect(message).to_be_visible()
	expect(message).to_contain_text("pas « Tâche »")
	capture(page, "personnalisation-4-doctype-du-coeur-refuse")
	# The refusal is the expected outcome: its HTTP 403 and its red message are not defects.
	assert any("seuls les types de document de Suivi social" in m for m in surveillance.messages)
	surveillance.problemes.clear()
	page.locator(".modal.show .btn-modal-close").first.click()
	expect(page.locator(".form-builder-container .column")).to_have_count(0)


@pytest.mark.parametrize(
	"route, doctype",
	[
		("/app/notification/new", "Notification"),
		("/app/number-card/new", "Number Card"),
		("/app/dashboard-chart/new", "Dashboard Chart"),
		("/app/print-format/new", "Print Format"),
		("/app/custom-field/new", "Custom Field"),
		("/app/list-view-settings/new", "List View Settings"),
	],
)
def test_les_outils_s_ouvrent_pour_la_responsable(onglet, roles, route, doctype):
	"""Each tool's form opens for the Responsable with no error (the page watch fails otherwise)."""
	page = onglet("responsable")
	ouvrir(page, roles.base_url, route)
	formulaire_pret(page, doctype)
	expect(page.locator(".page-head:visible .primary-action")).to_have_text("Enregistrer")
	if doctype == "Notification":
		# Attached to her structure from the start (personnalisation/notification.py).
		expect(champ(page, "structure")).to_have_value(STRUCTURE)
		capture(page, "personnalisation-5-nouvelle-notification")


def test_l_editeur_de_format_d_impression_s_ouvre(onglet, roles):
	page = onglet("responsable")
	ouvrir(page, roles.base_url, "/app/print-format-builder-beta")
	expect(page.locator(".page-head:visible .title-text")).to_have_text("Éditeur de Format d'Impression")
	expect(boite(page).locator(".modal-title")).to_have_text("Créer ou modifier un format d'impression")
