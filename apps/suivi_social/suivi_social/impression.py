"""PDF printing that needs no web request: the HTML given to wkhtmltopdf is made self-contained.

Why (Frappe 15.44.2, frappe/utils/pdf.py `get_pdf`): `scrub_urls()` turns every relative URL of
the print view into an absolute one on `get_url()` — the request's host plus `webserver_port`
(http://suivi.localhost:8000, http://tests.localhost:8000, http://localhost:8000…) — and
wkhtmltopdf then fetches the print stylesheet (/assets/frappe/dist/css/print.bundle.*.css) and any
image back from that address over HTTP, with `disable-local-file-access` forced. Where that host
name does not resolve on the server, where nothing listens there (a background job, the tests'
werkzeug Client, a proxy the server cannot reach itself), wkhtmltopdf exits with
HostNotFoundError or ConnectionRefusedError, which `get_pdf` does not tolerate
(PDF_CONTENT_ERRORS): every "PDF" button answered HTTP 500.

What: `frappe.utils.pdf.prepare_options`, which `get_pdf` calls (through the module, so every
caller is covered: download_pdf, attach_print, e-mail attachments, report_to_pdf) right before
building wkhtmltopdf's options, is wrapped so that the HTML it receives is self-contained first:

- the site's stylesheets (`<link rel="stylesheet">`) become data: URIs, read from the bench's
  files (sites/assets, the site's public/files);
- the site's images (`<img src>`, CSS `url()`) become data: URIs; private files only when the
  user may download them (File.is_downloadable, as Frappe's own inline_private_images);
- any other reference to the site (a missing file, a /api/… URL) is emptied (`data:,`) instead
  of being fetched: a missing logo costs the logo, not the whole PDF.
  External URLs (another host) are left as they are.

Debian's wkhtmltopdf is built on an unpatched Qt, which ignores --header-html/--footer-html:
the print heading that Frappe moves there (the DocType's title and the record's name, because
Print Settings' "repeat header and footer" is on) was lost. With such a wkhtmltopdf
(`frappe.utils.pdf.is_wkhtmltopdf_valid()` false) the heading and the footer stay in the body,
as in the desk's print view; page numbers, which only the patched Qt can fill in, are dropped.

Applied in every process by the before_request / before_job hooks (hooks.py), like frappe_fixes.
Drop it when the pinned Frappe's get_pdf no longer has wkhtmltopdf fetch the print view's
resources from get_url() (or PDFs come from another engine): tests/securite/test_pdf.py then
passes with apply() made a no-op. Hooks are cached in Redis: after adding or removing the hook
lines, `bench --site X clear-cache` (or migrate, which `./suivi` runs when the app changes)."""

import base64
import mimetypes
import os
import re
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import frappe
import frappe.utils.pdf
from bs4 import BeautifulSoup
from frappe.utils import get_url

# What wkhtmltopdf is given instead of a resource of the site that cannot be read from disk.
VIDE = "data:,"

# url(…) in CSS: quoted with " or ', or bare.
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")

_original_prepare_options = frappe.utils.pdf.prepare_options


def _prepare_options(html, options):
	return _original_prepare_options(rendre_autonome(html), options)


def rendre_autonome(html: str) -> str:
	"""The same HTML, with every resource of the site inlined or emptied: nothing left to fetch."""
	soup = BeautifulSoup(html, "html.parser")
	site = Site()
	for style in soup.find_all("style"):
		if style.string:
			style.string = site.css_autonome(style.string)
	for tag in soup.find_all(style=True):
		tag["style"] = site.css_autonome(tag["style"])
	for img in soup.find_all("img", src=True):
		img["src"] = site.inline(img["src"])
	for link in soup.find_all("link", href=True):
		if "stylesheet" not in (link.get("rel") or []) or not site.contient(link["href"]):
			continue
		contenu = site.lire(link["href"])
		if contenu is None:
			frappe.logger("impression").warning(f"PDF : feuille de style non lue, retirée : {link['href']}")
			link.decompose()
			continue
		# Its url(…) are relative to its own address. A data: URI rather than a <style> block:
		# get_pdf parses every <style> with cssutils (get_print_format_styles), which takes 1.4 s and
		# logs a thousand warnings for Frappe's print.bundle.css.
		css = site.css_autonome(contenu.decode("utf-8", "replace"), link["href"])
		link["href"] = f"data:text/css;base64,{base64.b64encode(css.encode()).decode()}"
	if not frappe.utils.pdf.is_wkhtmltopdf_valid():
		garder_en_tete_et_pied_dans_la_page(soup)
	return str(soup)


def garder_en_tete_et_pied_dans_la_page(soup: BeautifulSoup) -> None:
	"""For a wkhtmltopdf without patched Qt, which ignores --header-html and --footer-html."""
	for html_id in ("header-html", "footer-html"):
		for tag in soup.find_all(id=html_id):
			del tag["id"]
			# standard.html marks the header hidden-pdf: toggle_visible_pdf() would remove it.
			if "hidden-pdf" in (tag.get("class") or []):
				tag["class"].remove("hidden-pdf")
			for numero in tag.select(".page-number"):
				numero.decompose()


class Site:
	"""The current site's URLs and the files behind them."""

	def __init__(self):
		# get_url() is what scrub_urls() wrote: conf.host_name, else the request's host, else the site.
		self.base = get_url()
		self.noms = {nom.lower() for nom in (urlparse(self.base).hostname, frappe.local.site) if nom}

	def contient(self, url: str) -> bool:
		parsed = urlparse(url)
		if not parsed.scheme and not parsed.netloc:
			return bool(parsed.path)
		return parsed.scheme in ("", "http", "https") and (parsed.hostname or "").lower() in self.noms

	def inline(self, url: str, base: str | None = None) -> str:
		"""A data: URI for a resource of the site (VIDE if unreadable), any other URL unchanged."""
		url = url.strip()
		if url.startswith(("data:", "#")):
			return url
		absolue = urljoin(base or self.base + "/", url)
		if not self.contient(absolue):
			return url
		contenu = self.lire(absolue)
		if contenu is None:
			frappe.logger("impression").warning(f"PDF : ressource non lue, laissée vide : {url}")
			return VIDE
		type_mime = mimetypes.guess_type(urlparse(absolue).path)[0] or "application/octet-stream"
		return f"data:{type_mime};base64,{base64.b64encode(contenu).decode()}"

	def css_autonome(self, css: str, url_css: str | None = None) -> str:
		"""CSS whose url(…) of the site are data: URIs, relative ones resolved against its own URL."""
		base = urljoin(self.base + "/", url_css) if url_css else None

		def remplacer(match: re.Match) -> str:
			url = next(group for group in match.groups() if group is not None)
			if not url or url.startswith("data:"):
				return match.group(0)
			return f'url("{self.inline(url, base)}")'

		return CSS_URL.sub(remplacer, css)

	def lire(self, url: str) -> bytes | None:
		"""The bytes behind a URL of the site, read from the bench's files; None if there are none."""
		parsed = urlparse(urljoin(self.base + "/", url))
		chemin = unquote(parsed.path)
		if chemin.startswith("/assets/"):
			return lire_sous(os.path.join(frappe.local.sites_path, "assets"), chemin[len("/assets/") :])
		if chemin.startswith("/files/"):
			return lire_sous(frappe.get_site_path("public", "files"), chemin[len("/files/") :])
		if chemin.startswith("/private/files/"):
			return lire_fichier_prive(chemin, parse_qs(parsed.query).get("fid", [None])[0])
		return None


def lire_sous(racine: str, relatif: str) -> bytes | None:
	racine = os.path.abspath(racine)
	# normpath, not realpath: sites/assets/<app> are symbolic links to each app's public folder.
	chemin = os.path.normpath(os.path.join(racine, relatif))
	if not chemin.startswith(racine + os.sep) or not os.path.isfile(chemin):
		return None
	with open(chemin, "rb") as f:
		return f.read()


def lire_fichier_prive(chemin: str, nom: str | None) -> bytes | None:
	from frappe.core.doctype.file.utils import find_file_by_url

	# find_file_by_url returns the File only if the user may download it.
	fichier = find_file_by_url(chemin, name=nom)
	if not fichier:
		return None
	contenu = fichier.get_content()
	return contenu.encode() if isinstance(contenu, str) else contenu


def apply() -> None:
	if frappe.utils.pdf.prepare_options is not _prepare_options:
		frappe.utils.pdf.prepare_options = _prepare_options


apply()
