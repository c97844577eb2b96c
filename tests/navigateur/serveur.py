"""The web server of the browser tests: one site, on loopback, with built assets.

Run by conftest.py in a subprocess (cwd sites/, environment DEV_SERVER=1):

	python tests/navigateur/serveur.py <port> <site> <socketio_port> <bench_id>

`bench serve` listens on 0.0.0.0 and picks the site from the Host header (FRAPPE-NOTES §9); this
forces one site and listens on 127.0.0.1 only.

Realtime: the desk opens its socket.io connection on `window.location.origin` unless
`window.dev_server` is set (frappe/public/js/frappe/socketio_client.js, get_host), in which case it
uses the same host on `frappe.boot.socketio_port`. Without a reverse proxy routing /socket.io to
node (nginx in production), the request reaches this werkzeug server, which answers 404: realtime
never connects. So, as `bench start` does, the process runs with DEV_SERVER=1 (app.html renders
`window.dev_server`), and boot's socketio_port (read from the site config) is forced to the port of
the node server started for the tests.

Background jobs: the bench id, which names the job queues (`<bench_id>:long`), is forced to the one
the tests' worker listens to (travailleur.py), so that the jobs this server queues are run by it
and by no other worker of the bench.
"""

import os
import sys


def main(port: int, site: str, socketio_port: int, bench_id: str) -> None:
	import frappe
	import frappe.app
	from werkzeug.serving import run_simple

	frappe.app._site = site
	frappe.app._sites_path = "."

	lire_config = frappe.get_site_config

	def get_site_config(*args, **kwargs):
		# frappe.init reads the configuration through this module-level name on every request.
		config = lire_config(*args, **kwargs)
		config["socketio_port"] = socketio_port
		config["bench_id"] = bench_id
		return config

	frappe.get_site_config = get_site_config
	run_simple("127.0.0.1", port, frappe.app.application_with_statics(), threaded=True)


if __name__ == "__main__":
	if os.environ.get("DEV_SERVER") != "1":
		sys.exit("serveur.py doit tourner avec DEV_SERVER=1 (voir la docstring).")
	main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4])
