package rules.secret_file_in_image

import rego.v1

metadata := {
	"id": "CP506",
	"name": "secret-file-in-image",
	"title": "Secret file in an image layer",
	"severity": "error",
	"profile": "minimal",
	"tags": ["secrets"],
	"kinds": ["image"],
	"why": "Every layer of an image ships, whatever later layers do: a private key, a `.env`, an `.npmrc` or `.pypirc` holding a token, cloud credentials, `.git-credentials` or a whole `.git` directory copied in one step and deleted in the next is still in the image, one `docker save | tar -x` away. Files are judged by name and, where the name alone says little (a `.pem`, an `.npmrc`), by their content.",
	"fix": "Rotate the secret. Keep such files out of the build context (`.dockerignore`: `.git`, `.env`, `**/*.pem`, `.npmrc`), mount build-time credentials with `RUN --mount=type=secret` or `--mount=type=ssh`, and copy only what the application needs (`COPY --from=build /app/dist /app`). Deleting the file in a later step does not remove it.",
	"examples": [{
		"kind": "dockerfile",
		"bad": "COPY id_rsa /root/.ssh/id_rsa\nRUN git clone git@example.com:org/app.git && rm /root/.ssh/id_rsa",
		"good": "RUN --mount=type=ssh git clone git@example.com:org/app.git",
	}],
}

deny contains {"msg": msg, "at": ["files", i]} if {
	some i, f in input.image.files
	is_string(f.secret_kind)
	msg := sprintf("%s%s", [what(f), fate(f)])
}

what(f) := sprintf("the image ships a git directory, /%s (its history, remotes and maybe credentials)", [f.path]) if {
	f.secret_kind == "git-directory"
} else := sprintf("the image ships a secret file, /%s (%s)", [f.path, f.secret_kind])

fate(f) := sprintf(", deleted by layer %d but still shipped in layer %d: rotate it and keep it out of the build context", [f.deleted_in, f.layer_index]) if {
	is_number(f.deleted_in)
} else := sprintf(", replaced by layer %d but still shipped in layer %d: rotate it and keep it out of the build context", [f.replaced_in, f.layer_index]) if {
	is_number(f.replaced_in)
} else := sprintf(" in layer %d; rotate it and keep it out of the build context", [f.layer_index])
