"""What the desk reads from the server once per session (hooks.extend_bootinfo), so that a rule the
server enforces is not written a second time in JavaScript."""

from suivi_social.dossiers.doctype.accompagnement.accompagnement import MODES_RENDEZ_VOUS


def completer_boot(bootinfo) -> None:
	# accompagnement.js ticks « Rendez-vous » as soon as one of these modes is chosen, before the
	# first save (a new form has no __onload to carry them).
	bootinfo.suivi_social = {"modes_rendez_vous": list(MODES_RENDEZ_VOUS)}
