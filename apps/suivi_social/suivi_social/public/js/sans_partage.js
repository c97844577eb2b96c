// Document sharing is off on the site (System Settings « disable_document_sharing », install.py):
// a share would bypass the structure isolation. Frappe refuses it, but its form sidebar still
// shows « Partager » and a « + » that opens a dialog where nothing can be done: hidden here.
$(document).on("form-refresh", (event, frm) => {
	if (cint(frappe.sys_defaults.disable_document_sharing) && frm && frm.sidebar) {
		frm.sidebar.sidebar.find(".form-shared").addClass("hide");
	}
});
