package k8s.labels

import rego.v1

test_missing_team_label_denied if {
	count(deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "web"}}
}

# Fails on purpose: the label is there, yet the test expects a denial.
test_labelled_deployment_denied if {
	count(deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "web", "labels": {"team": "shop"}}}
}
