// Loaded before Frappe's realtime server (node --require, or NODE_OPTIONS in production's supervisor
// program): apps/frappe/realtime/index.js calls io.listen(port), which binds every network interface.
// Browsers reach socket.io through the web server (the demo server, or nginx in production), so it
// only needs to answer this machine. Frappe has no setting for the address, hence this shim.
const net = require("net");

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
	// listen(port) or listen(port, callback): the forms that mean "every interface".
	if (typeof args[0] === "number" && (args.length === 1 || typeof args[1] === "function")) {
		args.splice(1, 0, "127.0.0.1");
	}
	return listen.apply(this, args);
};
