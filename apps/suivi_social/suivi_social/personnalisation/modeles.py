"""What a template, a condition or a piece of HTML written by a non-System-Manager may contain.

Frappe renders print formats, notification texts and the HTML fields of a form as Jinja in a
sandbox that blocks Python internals but not Frappe itself: its globals (frappe/utils/safe_exec.py,
get_safe_globals, added to the environment by frappe/utils/jinja.py) include frappe.get_all,
frappe.db.sql, frappe.db.set_value, frappe.delete_doc, frappe.make_post_request, frappe.request and
frappe.session. A template is therefore code, with no permission check: a manager's print format
could read every structure's files, write any record (a role on a User) or send data to any URL.
Likewise, a form's `depends_on` "eval:" is JavaScript run in every user's browser, a Notification's
condition is Python with the document in hand (`doc.db_set`), and HTML is JavaScript as soon as it
has a <script> or an onclick.

So what a non-System-Manager writes is checked against allowlists before it is saved, which leaves
what a form, a letter or a message needs and nothing that acts:
- Jinja: the document (`doc.champ`, `doc.get("champ")`, `doc.get_formatted("champ")`), loops and
  tests, the usual filters, `_()` and formatting functions of frappe.utils; no other global, no
  include or import, no method call but a short list of pure ones;
- HTML: a list of layout tags, no event attribute, no javascript: URL, no computed tag or attribute
  name;
- conditions of fields ("depends_on"): a field name, or `eval:` comparisons of `doc.champ` with
  constants;
- Python conditions of notifications: comparisons of `doc.champ`, `nowdate()` and frappe.utils.

`champs_utilises` tells which fields of the document a template shows, so that a notification only
goes to recipients who may read them (personnalisation/notification.py)."""

import ast
import json
import re
from html.parser import HTMLParser
from itertools import pairwise

import frappe
from frappe import _
from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from suivi_social.personnalisation.perimetre import refuser

# --- Jinja ------------------------------------------------------------------------------------

# Names each kind of template receives from Frappe (printview.get_rendered_template,
# Notification.send, the print macros of HTML fields).
NOMS_PAR_CONTEXTE = {
	"impression": {"doc", "letter_head", "footer", "no_letterhead", "print_settings"},
	"notification": {"doc", "comments"},
	"champ_html": {"doc"},
}
FONCTIONS = {"_", "range", "dict", "namespace"}
UTILITAIRES = {
	"formatdate",
	"format_date",
	"format_time",
	"format_datetime",
	"format_duration",
	"global_date_format",
	"fmt_money",
	"money_in_words",
	"flt",
	"cint",
	"cstr",
	"rounded",
	"getdate",
	"get_datetime",
	"nowdate",
	"today",
	"now",
	"add_days",
	"add_months",
	"add_years",
	"add_to_date",
	"date_diff",
	"month_diff",
	"get_first_day",
	"get_last_day",
	"escape_html",
	"strip_html",
	"pretty_date",
	"comma_and",
	"comma_or",
}
CHEMINS_FRAPPE = {
	"frappe.format",
	"frappe.format_value",
	"frappe.format_date",
	"frappe.bold",
	"frappe.date_format",
	"frappe.time_format",
	"frappe.lang",
	*(f"frappe.utils.{nom}" for nom in UTILITAIRES),
}
# Methods that only read or format (str, dict, date, Document.get / get_formatted, loop.cycle).
METHODES = {
	"get",
	"get_formatted",
	"strip",
	"lstrip",
	"rstrip",
	"upper",
	"lower",
	"title",
	"capitalize",
	"split",
	"replace",
	"startswith",
	"endswith",
	"join",
	"items",
	"keys",
	"values",
	"strftime",
	"isoformat",
	"cycle",
}
FILTRES = {
	"abs",
	"batch",
	"capitalize",
	"center",
	"count",
	"d",
	"default",
	"dictsort",
	"e",
	"escape",
	"first",
	"float",
	"flt",
	"format",
	"global_date_format",
	"groupby",
	"int",
	"join",
	"last",
	"len",
	"length",
	"list",
	"lower",
	"max",
	"min",
	"replace",
	"reverse",
	"round",
	"safe",
	"slice",
	"sort",
	"str",
	"string",
	"striptags",
	"sum",
	"title",
	"trim",
	"truncate",
	"unique",
	"upper",
	"wordcount",
}


class AnalyseModele:
	"""Walks a Jinja template once: the reasons to refuse it, and the fields of `doc` it reads
	(`tout_le_document` when `doc` is used otherwise than field by field)."""

	def __init__(self, source: str, contexte: str):
		self.erreurs: list[str] = []
		self.champs: set[str] = set()
		self.tout_le_document = False
		self.syntaxe_invalide = False
		self.noms = NOMS_PAR_CONTEXTE[contexte] | FONCTIONS | {"loop"}
		try:
			arbre = frappe.get_jenv().parse(source)
		except TemplateSyntaxError as e:
			self.syntaxe_invalide = True
			self.erreurs.append(_("erreur de syntaxe ligne {0} : {1}").format(e.lineno, e.message))
			return
		self.locaux = {n.name for n in arbre.find_all(nodes.Name) if n.ctx in ("store", "param")} | {
			n.name for n in arbre.find_all(nodes.NSRef)
		}
		for interdit in self.locaux & {"doc", "frappe"}:
			self.erreurs.append(_("« {0} » ne peut pas être redéfini").format(interdit))
		self.squelette, self.expressions = squelette_html(arbre)
		self.visiter(arbre)

	def refuser(self, message: str) -> None:
		if message not in self.erreurs:
			self.erreurs.append(message)

	def visiter(self, n) -> None:
		if isinstance(n, nodes.Extends | nodes.Include | nodes.Import | nodes.FromImport):
			self.refuser(_("un modèle ne peut pas en inclure un autre"))
		elif isinstance(n, nodes.Macro | nodes.CallBlock):
			self.refuser(_("les macros ne sont pas permises"))
		elif isinstance(n, nodes.Name):
			self.visiter_nom(n)
		elif isinstance(n, nodes.Getattr):
			self.visiter_attribut(n)
		elif isinstance(n, nodes.Getitem):
			self.visiter_index(n)
		elif isinstance(n, nodes.Call):
			self.visiter_appel(n)
		elif isinstance(n, nodes.Filter):
			if n.name not in FILTRES:
				self.refuser(_("le filtre « {0} » n'est pas permis").format(n.name))
			self.visiter_enfants(n)
		elif isinstance(n, nodes.Const) and isinstance(n.value, str) and ("<" in n.value or ">" in n.value):
			self.refuser(_("une chaîne entre guillemets ne peut pas contenir de balise HTML"))
		else:
			self.visiter_enfants(n)

	def visiter_enfants(self, n) -> None:
		for enfant in n.iter_child_nodes():
			self.visiter(enfant)

	def visiter_nom(self, n: nodes.Name) -> None:
		if n.ctx in ("store", "param"):
			return
		if n.name == "doc":
			self.tout_le_document = True
		elif n.name == "frappe":
			self.refuser(_("« frappe » ne peut servir qu'à ses fonctions de mise en forme"))
		elif n.name not in self.noms and n.name not in self.locaux:
			self.refuser(_("« {0} » n'est pas disponible dans ce modèle").format(n.name))

	def visiter_attribut(self, n: nodes.Getattr) -> None:
		chemin = chemin_pointe(n)
		if n.attr.startswith("_"):
			self.refuser(_("l'attribut « {0} » n'est pas permis").format(n.attr))
		if chemin and chemin[0] == "frappe":
			if ".".join(chemin) not in CHEMINS_FRAPPE:
				self.refuser(_("« {0} » n'est pas permis").format(".".join(chemin)))
			return
		if chemin and chemin[0] == "doc" and n.node is not None and isinstance(n.node, nodes.Name):
			self.champs.add(n.attr)
			return
		self.visiter(n.node)

	def visiter_index(self, n: nodes.Getitem) -> None:
		if (
			isinstance(n.node, nodes.Name)
			and n.node.name == "doc"
			and isinstance(n.arg, nodes.Const)
			and isinstance(n.arg.value, str)
		):
			self.champs.add(n.arg.value)
			return
		self.visiter_enfants(n)

	def visiter_appel(self, n: nodes.Call) -> None:
		fonction = n.node
		if isinstance(fonction, nodes.Name):
			if fonction.name not in FONCTIONS:
				self.refuser(_("la fonction « {0} » n'est pas permise").format(fonction.name))
		elif isinstance(fonction, nodes.Getattr):
			chemin = chemin_pointe(fonction)
			if chemin and chemin[0] == "frappe":
				self.visiter_attribut(fonction)
			elif fonction.attr not in METHODES:
				self.refuser(_("la méthode « {0} » n'est pas permise").format(fonction.attr))
			elif chemin == ["doc", fonction.attr] and fonction.attr in ("get", "get_formatted"):
				if n.args and isinstance(n.args[0], nodes.Const) and isinstance(n.args[0].value, str):
					self.champs.add(n.args[0].value)
				else:
					self.tout_le_document = True
			else:
				self.visiter(fonction.node)
		else:
			self.refuser(_("seules des fonctions nommées peuvent être appelées"))
		for argument in (*n.args, *n.kwargs, n.dyn_args, n.dyn_kwargs):
			if argument is not None:
				self.visiter(argument)


def chemin_pointe(n) -> list[str] | None:
	"""["doc", "a", "b"] for doc.a.b; None when the chain does not start from a name."""
	attributs = []
	while isinstance(n, nodes.Getattr):
		attributs.append(n.attr)
		n = n.node
	if isinstance(n, nodes.Name) and n.ctx == "load":
		return [n.name, *reversed(attributs)]
	return None


# Each computed value ({{ … }}) of a template stands in its HTML skeleton as one character of the
# Unicode private use area, which tells which expression it is.
PREMIER_MARQUEUR = 0xE000
MARQUEUR = re.compile("[\ue000-\uf8ff]")


def squelette_html(arbre) -> tuple[str, list]:
	"""The template's literal HTML, in order, with each computed value as its marker."""
	morceaux, expressions = [], []
	for sortie in arbre.find_all(nodes.Output):
		for n in sortie.nodes:
			if isinstance(n, nodes.TemplateData):
				morceaux.append(MARQUEUR.sub("", n.data))
			else:
				morceaux.append(chr(PREMIER_MARQUEUR + min(len(expressions), 0x18FF)))
				expressions.append(n)
	return "".join(morceaux), expressions


def valeur_du_document(n) -> bool:
	"""`doc.champ` or `doc.get("champ")`: a value typed by the structure's agents, not built by the
	template (which could glue a secret to an address of its own)."""
	if isinstance(n, nodes.Call):
		return (
			chemin_pointe(n.node) == ["doc", "get"]
			and len(n.args) == 1
			and isinstance(n.args[0], nodes.Const)
			and not (n.kwargs or n.dyn_args or n.dyn_kwargs)
		)
	chemin = chemin_pointe(n) if isinstance(n, nodes.Getattr) else None
	return bool(chemin) and len(chemin) == 2 and chemin[0] == "doc"


def verifier_modele(source: str | None, contexte: str, quoi: str, html: bool = True) -> None:
	"""Refuse a template a non-System-Manager may not write (see the module docstring)."""
	if not source:
		return
	from frappe.utils.jinja import guess_is_path

	if guess_is_path(source):
		# Frappe would load a template file of that name instead of rendering the text.
		refuser(_("{0} : le texte ne peut pas être un nom de fichier de modèle.").format(quoi))
	analyse = AnalyseModele(source, contexte)
	erreurs = list(analyse.erreurs)
	if html and not erreurs:
		erreurs += erreurs_html(analyse.squelette, analyse.expressions)
	if erreurs:
		refuser(_("{0} : {1}.").format(quoi, " ; ".join(erreurs)))


def champs_utilises(source: str | None) -> tuple[set[str], bool]:
	"""The fields of `doc` a template (even one written by a System Manager) shows, and whether it
	uses the document in another way (then every field must be readable)."""
	if not source:
		return set(), False
	analyse = AnalyseModele(source, "notification")
	if analyse.syntaxe_invalide:
		return set(), True
	return analyse.champs, analyse.tout_le_document


# --- HTML and CSS -----------------------------------------------------------------------------

BALISES = {
	"a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "body", "br",
	"caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div",
	"dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
	"head", "header", "hr", "html", "i", "img", "ins", "kbd", "label", "li", "main", "mark", "nav",
	"ol", "p", "pre", "q", "s", "section", "small", "span", "strike", "strong", "style", "sub",
	"summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "title", "tr", "tt",
	"u", "ul", "var", "wbr",
}  # fmt: skip
ATTRIBUTS_URL = {
	"href", "src", "srcset", "action", "xlink:href", "background", "poster", "cite", "data", "lowsrc", "ping",
}  # fmt: skip
CSS_INTERDIT = re.compile(r"expression\s*\(|javascript:|vbscript:|@import|behavior\s*:|-moz-binding|</", re.I)
SCRIPT_DANS_URL = re.compile(r"^(javascript|vbscript|data):", re.I)
# An address written in the template followed by a computed value: a secret sent to that address
# when the letter is displayed or the e-mail opened (images are fetched without a click).
ADRESSE_CALCULEE = re.compile(
	r"(?:[a-z][a-z0-9+.-]*:)?//[^\s)\"'<>]*[\ue000-\uf8ff]|\]\(\s*[\ue000-\uf8ff]", re.I
)


class VerificateurHTML(HTMLParser):
	def __init__(self, expressions: list):
		super().__init__(convert_charrefs=True)
		self.expressions = expressions
		self.erreurs: list[str] = []
		self.dans_style = False

	def refuser(self, message: str) -> None:
		if message not in self.erreurs:
			self.erreurs.append(message)

	def handle_starttag(self, tag, attrs):
		if MARQUEUR.search(tag):
			self.refuser(_("un nom de balise ne peut pas être calculé"))
		elif tag not in BALISES:
			self.refuser(_("la balise <{0}> n'est pas permise").format(tag))
		self.dans_style = tag == "style"
		for nom, valeur in attrs:
			self.verifier_attribut(nom, valeur or "")

	def handle_startendtag(self, tag, attrs):
		self.handle_starttag(tag, attrs)
		self.dans_style = False

	def handle_endtag(self, tag):
		self.dans_style = False

	def handle_data(self, data):
		if self.dans_style:
			self.verifier_style(data)

	def handle_pi(self, data):
		self.refuser(_("instruction de traitement non permise"))

	def verifier_style(self, css: str) -> None:
		if CSS_INTERDIT.search(css):
			self.refuser(_("ce style n'est pas permis"))
		if MARQUEUR.search(css):
			self.refuser(_("un style ne peut pas contenir de valeur calculée"))

	def verifier_attribut(self, nom: str, valeur: str) -> None:
		if MARQUEUR.search(nom):
			self.refuser(_("un nom d'attribut ne peut pas être calculé"))
		elif nom.startswith("on") or nom in ("srcdoc", "formaction"):
			self.refuser(_("l'attribut « {0} » n'est pas permis").format(nom))
		elif nom in ATTRIBUTS_URL:
			self.verifier_adresse(nom, re.sub(r"[\s\x00-\x1f]", "", valeur))
		elif nom == "style":
			self.verifier_style(valeur)

	def verifier_adresse(self, nom: str, url: str) -> None:
		if SCRIPT_DANS_URL.match(url) and not url.lower().startswith("data:image/"):
			self.refuser(_("l'adresse de « {0} » n'est pas permise").format(nom))
		marqueur = MARQUEUR.search(url)
		if not marqueur:
			return
		prefixe = url[: marqueur.start()]
		if prefixe.startswith("/") and not prefixe.startswith("//"):
			return  # a page of this site
		seule = len(url) == 1 and nom not in ("href", "xlink:href", "action")
		if not (seule and valeur_du_document(self.expressions[ord(url) - PREMIER_MARQUEUR])):
			self.refuser(
				_(
					"l'adresse de « {0} » doit être écrite dans le modèle (une image du dossier : {{{{ doc.champ }}}})"
				).format(nom)
			)


def erreurs_html(html: str, expressions: list | None = None) -> list[str]:
	verificateur = VerificateurHTML(expressions or [])
	verificateur.feed(html)
	verificateur.close()
	if re.search(r"(java|vb)script\s*:", html, re.I):
		verificateur.refuser(_("« javascript: » n'est pas permis"))
	if ADRESSE_CALCULEE.search(html):
		verificateur.refuser(_("une adresse ne peut pas contenir de valeur calculée"))
	return verificateur.erreurs


def verifier_html(html: str | None, quoi: str) -> None:
	"""HTML shown as is in the desk (a field's description, an HTML field of a form)."""
	if html and (erreurs := erreurs_html(MARQUEUR.sub("", html))):
		refuser(_("{0} : {1}.").format(quoi, " ; ".join(erreurs)))


def verifier_css(css: str | None, quoi: str) -> None:
	if css and ("<" in css or CSS_INTERDIT.search(css)):
		refuser(
			_("{0} : ce style n'est pas permis (balises, expression(), javascript:, @import).").format(quoi)
		)


def verifier_texte(valeur, quoi: str) -> None:
	"""A label or a placeholder: plain text, which the desk may insert as HTML."""
	if isinstance(valeur, str) and ("<" in valeur or ">" in valeur):
		refuser(_("{0} : les caractères < et > ne sont pas permis.").format(quoi))


# --- Conditions of fields (JavaScript, run in every user's browser) ---------------------------

JETON_JS = re.compile(
	r"""\s+|(?:doc|parent)\.[a-z][a-z0-9_]*|'[^'\\\n]*'|"[^"\\\n]*"|\d+(?:\.\d+)?"""
	r"""|===|!==|==|!=|<=|>=|&&|\|\||[<>!()]|(?:true|false|null|undefined)\b"""
)
CHAMP_JS = re.compile(r"^(?:doc|parent)\.[a-z][a-z0-9_]*$")


def verifier_condition_js(expression: str | None, quoi: str) -> None:
	"""A `depends_on`-like property: a field name, or `eval:` comparisons of fields with constants."""
	if not expression or re.fullmatch(r"[a-z][a-z0-9_]*", expression):
		return
	message = _(
		"{0} : seules des conditions simples sont permises, par exemple « eval:doc.statut == 'En cours' »."
	).format(quoi)
	if not expression.startswith("eval:"):
		refuser(message)
	corps, position, jetons = expression[5:], 0, []
	while position < len(corps):
		jeton = JETON_JS.match(corps, position)
		if not jeton or not jeton.group():
			refuser(message)
		position = jeton.end()
		if jeton.group().strip():
			jetons.append(jeton.group())
	for avant, apres in pairwise(jetons):
		if CHAMP_JS.match(avant) and apres == "(":
			refuser(message)


# --- Conditions of notifications (Python, evaluated with the document in hand) ----------------

CHAMPS_STANDARD = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "parent"}


def verifier_condition_python(expression: str | None, quoi: str) -> None:
	"""A Notification's condition: comparisons of `doc.champ`, `doc.get("champ")`, `nowdate()` and
	frappe.utils functions, with constants."""
	if not expression:
		return
	message = _(
		"{0} : seules des comparaisons de champs sont permises, par exemple « doc.statut == 'En cours' »."
	).format(quoi)
	try:
		arbre = ast.parse(expression.strip(), mode="eval")
	except SyntaxError:
		refuser(message)
	if not expression_python_sure(arbre.body):
		refuser(message)


OPERATEURS = (
	ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd, ast.Add, ast.Sub, ast.Eq, ast.NotEq, ast.Lt, ast.LtE,
	ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)  # fmt: skip


def expression_python_sure(n) -> bool:
	from frappe.model.document import Document

	if isinstance(n, ast.Constant):
		return True
	if isinstance(n, ast.BoolOp):
		return isinstance(n.op, OPERATEURS) and all(map(expression_python_sure, n.values))
	if isinstance(n, ast.UnaryOp):
		return isinstance(n.op, OPERATEURS) and expression_python_sure(n.operand)
	if isinstance(n, ast.BinOp):
		return (
			isinstance(n.op, OPERATEURS)
			and expression_python_sure(n.left)
			and expression_python_sure(n.right)
		)
	if isinstance(n, ast.Compare):
		return (
			all(isinstance(op, OPERATEURS) for op in n.ops)
			and expression_python_sure(n.left)
			and all(map(expression_python_sure, n.comparators))
		)
	if isinstance(n, ast.List | ast.Tuple):
		return all(map(expression_python_sure, n.elts))
	if isinstance(n, ast.Attribute):
		# doc.champ: a field, never a method or property of the Document (db_set, save…)
		return (
			isinstance(n.value, ast.Name)
			and n.value.id == "doc"
			and not n.attr.startswith("_")
			and (n.attr in CHAMPS_STANDARD or not hasattr(Document, n.attr))
		)
	if isinstance(n, ast.Call) and not n.keywords:
		arguments_surs = all(map(expression_python_sure, n.args))
		f = n.func
		if isinstance(f, ast.Name):
			return f.id == "nowdate" and arguments_surs
		chemin = chemin_python(f)
		if chemin == ["doc", "get"]:
			return (
				len(n.args) == 1 and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)
			)
		return (
			bool(chemin)
			and len(chemin) == 3
			and chemin[:2] == ["frappe", "utils"]
			and chemin[2] in UTILITAIRES
			and arguments_surs
		)
	return False


def chemin_python(n) -> list[str] | None:
	attributs = []
	while isinstance(n, ast.Attribute):
		attributs.append(n.attr)
		n = n.value
	if isinstance(n, ast.Name):
		return [n.id, *reversed(attributs)]
	return None


# --- Dynamic filters of cards and charts (JavaScript eval in every viewer's browser) ---------

VALEURS_DYNAMIQUES = re.compile(
	r"frappe\.session\.user"
	r"|frappe\.datetime\.(?:get_today|nowdate|month_start|month_end|year_start|year_end)\(\)"
	r"|frappe\.datetime\.add_(?:days|months)\(frappe\.datetime\.get_today\(\), -?\d{1,4}\)"
)


def verifier_filtres_dynamiques(valeur: str | None, quoi: str) -> None:
	"""Frappe evaluates each value of `dynamic_filters_json` with JavaScript's eval()
	(public/js/frappe/utils/dashboard_utils.js, get_all_filters): only a few known expressions."""
	if not valeur:
		return
	try:
		filtres = json.loads(valeur)
	except ValueError:
		refuser(_("{0} : filtres dynamiques illisibles.").format(quoi))
	if isinstance(filtres, dict):
		expressions = list(filtres.values())
	elif isinstance(filtres, list):
		expressions = [f[3] for f in filtres if isinstance(f, list) and len(f) > 3]
	else:
		expressions = [filtres]
	for expression in expressions:
		if not (isinstance(expression, str) and VALEURS_DYNAMIQUES.fullmatch(expression.strip())):
			refuser(
				_(
					"{0} : un filtre dynamique ne peut être que l'utilisateur connecté ou une date "
					"(frappe.session.user, frappe.datetime.get_today()…)."
				).format(quoi)
			)
