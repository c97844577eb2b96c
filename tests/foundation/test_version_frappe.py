"""The Frappe that the fixes were written for: pinned by ./suivi, asserted where they are applied."""

import re
import subprocess

import frappe
import pytest

from suivi_social import frappe_fixes
from tests.conftest import BENCH


def test_suivi_installe_la_version_verifiee():
	script = (BENCH / "suivi").read_text()
	ref = re.search(r'FRAPPE_REF="\$\{FRAPPE_REF:-([0-9a-f]{40})\}"', script).group(1)
	head = subprocess.check_output(
		["git", "-C", str(BENCH / "apps" / "frappe"), "rev-parse", "HEAD"], text=True
	)
	assert head.strip() == ref
	assert frappe.__version__ == frappe_fixes.FRAPPE_VERSION_VERIFIEE


def test_une_autre_version_de_frappe_est_refusee(monkeypatch):
	monkeypatch.setattr(frappe, "__version__", "15.99.0")
	monkeypatch.delenv("SUIVI_FRAPPE_VERSION_ACCEPTEE", raising=False)
	with pytest.raises(RuntimeError, match="vérifié avec Frappe 15.44.2, mais Frappe 15.99.0"):
		frappe_fixes.apply()
	# Declared for a trial run of the security suite on that version: accepted.
	monkeypatch.setenv("SUIVI_FRAPPE_VERSION_ACCEPTEE", "15.99.0")
	frappe_fixes.apply()
