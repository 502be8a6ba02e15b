# Acme company policy UPD-1: security updates are guaranteed for at least five years
# from the assessment date. A riskmark custom check (README: "Custom checks in Rego").
package riskmark.checks.support_five_years

meta := {
	"title": "Security updates guaranteed for five years from the assessment",
	"area": "updates",
	"responsible": ["manufacturer"],
}

# The assessment date five years on, as YYYY-MM-DD (ISO dates compare as strings).
horizon := concat("", [
	format_int(to_number(substring(input.assessed, 0, 4)) + 5, 10),
	substring(input.assessed, 4, 6),
])

default verdict := {
	"status": "needs-evidence",
	"reason": "`updates.support_end` is not declared",
	"facts": ["updates.support_end"],
}

verdict := {
	"status": "not-applicable",
	"reason": "the product cannot be updated",
	"facts": ["updates.mechanism"],
} if {
	no_updates
}

no_updates if input.updates.mechanism == "none"

verdict := {
	"status": "fail",
	"reason": sprintf("support ends %v, before %v (five years from the assessment)", [input.updates.support_end, horizon]),
	"facts": ["updates.support_end"],
} if {
	not no_updates
	input.updates.support_end < horizon
}

verdict := {
	"status": "pass",
	"reason": sprintf("support ends %v, at least five years from the assessment (%v)", [input.updates.support_end, horizon]),
	"facts": ["updates.support_end"],
} if {
	not no_updates
	input.updates.support_end >= horizon
}
