"""The background worker of the browser tests: what `bench worker` runs (Frappe's own
frappe.utils.background_jobs.start_worker, every queue), for the jobs the test server queues.

Run by conftest.py in a subprocess (cwd sites/), beside serveur.py:

	python tests/navigateur/travailleur.py <bench_id>

Frappe names its queues after the bench (`<bench_id>:long`, background_jobs.generate_qname), and every
process of a bench shares them: jobs queued by the demo site, or by earlier test runs that had no
worker, wait there. The test server and this worker take their own bench id (see serveur.py), so
this worker runs only the jobs of the browser tests, the way production's worker runs the site's.
"""

import os
import sys


def main(bench_id: str) -> None:
	import frappe
	from frappe.utils.background_jobs import start_worker

	lire_config = frappe.get_site_config

	def get_site_config(*args, **kwargs):
		# frappe.init (at start, and for each job) reads the configuration through this name.
		config = lire_config(*args, **kwargs)
		config["bench_id"] = bench_id
		return config

	frappe.get_site_config = get_site_config
	start_worker()


if __name__ == "__main__":
	if not os.path.isfile("common_site_config.json"):
		sys.exit("travailleur.py doit tourner dans le dossier sites/ du bench.")
	main(sys.argv[1])
