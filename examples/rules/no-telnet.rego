# Acme company policy SEC-3: no telnet service, whatever port it listens on.
# A riskmark custom check (README: "Custom checks in Rego"). Try it:
#   riskmark assess examples/baby-monitor.toml --rules examples/rules \
#     --catalog examples/catalogs/company-policy.json --framework acme-company-policy
package riskmark.checks.no_telnet

meta := {
	"title": "No telnet service",
	"area": "network",
	"responsible": ["manufacturer"],
}

# Services that are telnet by name or by its well-known port.
telnet contains s if {
	some s in input.connectivity.services
	s.name == "telnet"
}

telnet contains s if {
	some s in input.connectivity.services
	s.port == 23
	s.protocol == "tcp"
}

default verdict := {
	"status": "needs-evidence",
	"reason": "`connectivity.services` is not declared",
	"facts": ["connectivity.services"],
}

verdict := {
	"status": "fail",
	"reason": concat("", ["telnet is offered (", concat(", ", ports), "): company policy SEC-3 forbids it"]),
	"facts": ["connectivity.services"],
} if {
	count(telnet) > 0
	ports := sort([sprintf("%v/%v", [s.port, s.protocol]) | some s in telnet])
}

verdict := {
	"status": "pass",
	"reason": "no declared service is telnet",
	"facts": ["connectivity.services"],
} if {
	is_array(input.connectivity.services)
	count(telnet) == 0
}
