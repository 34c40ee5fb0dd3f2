package rules.secret_token

import rego.v1

metadata := {
	"id": "CP502",
	"name": "secret-token-in-file",
	"title": "Known secret token format in the file",
	"severity": "error",
	"profile": "minimal",
	"tags": ["secrets"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image", "container"],
	"why": "Strings shaped like real credentials (AWS access keys, GitHub/GitLab/Slack/Stripe tokens, private key blocks, passwords in URLs) were found. Once committed they must be considered leaked.",
	"fix": "Revoke the credential, remove it from the file (and the git history), and load it at run time from a secret store.",
	"examples": [{"kind": "dockerfile", "bad": "RUN git clone https://ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@github.com/org/repo", "good": "RUN --mount=type=secret,id=gh_token git clone https://$(cat /run/secrets/gh_token)@github.com/org/repo"}],
}

# `span` (when the token appears verbatim in the file) gives its exact line.
deny contains {"msg": msg, "at": t.at, "span": object.get(t, "span", null)} if {
	some t in input.secrets
	msg := sprintf("%s %s (%s) is hard-coded here; revoke it and load it from a secret store at run time", [article(t.kind), t.kind, t.redacted])
}

# "an aws-access-key-id", "a github-token".
article(word) := "an" if lower(substring(word, 0, 1)) in {"a", "e", "i", "o", "u"}

article(word) := "a" if not lower(substring(word, 0, 1)) in {"a", "e", "i", "o", "u"}
