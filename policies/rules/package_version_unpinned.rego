package rules.package_version_unpinned

import data.lib
import rego.v1

metadata := {
	"id": "CP718",
	"name": "package-version-unpinned",
	"title": "Package installed without a pinned version",
	"severity": "info",
	"tags": ["supply-chain", "hygiene"],
	"kinds": ["dockerfile"],
	"why": "An install without a version takes whatever the repository serves on the day of the build: two builds of the same Dockerfile differ, and a compromised or broken release lands unnoticed. Judged for `apt-get install` (`pkg=1.2-3`), `apk add` (`pkg=1.2.3-r0`), `pip install` (`pkg==1.2`, or any version specifier; `-r`/`-c` files and local paths are fine), `npm install` with package names (`pkg@1.2.3`; a bare `npm install`/`npm ci` uses the lock file), `gem install` (`pkg:1.2` or `-v`), `go install` (`@latest`, `@master`, `@main`, `@HEAD`), `dnf`/`microdnf`/`yum install` (`pkg-1.2`, a module `name:stream`) and `zypper install` (`pkg=1.2`, `pkg>=1.2`); `.rpm` files and `@group`s are not judged. Upgrading pip, setuptools or wheel themselves is not reported. Set `parameters.unpinned-package-managers` (e.g. `[apt, apk]`; `dnf` covers microdnf) to accept unpinned installs of those managers, for base images whose distribution repositories only keep the latest version.",
	"fix": "Pin each package: `apt-get install -y curl=7.88.1-10+deb12u8`, `apk add curl=8.9.1-r0`, `pip install flask==3.0.3` (or a requirements file with hashes), `npm install -g pnpm@9.1.0`, `gem install bundler:2.5.11`, `go install golang.org/x/tools/gopls@v0.16.1`, `dnf install -y nginx-1.24.0`, `zypper install -y nginx=1.24.0`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask", "good": "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3"}],
}

allowed := {m | some m in data.parameters.unpinned_package_managers; is_string(m)}

# Program → manager name (the parameter's vocabulary).
manager_of := {
	"apt-get": "apt", "apt": "apt",
	"apk": "apk",
	"pip": "pip", "pip3": "pip",
	"npm": "npm",
	"gem": "gem",
	"go": "go",
	"dnf": "dnf", "microdnf": "dnf",
	"yum": "yum",
	"zypper": "zypper",
}

# The program is found once by the parser (lib.program reads it): no
# cheaper guard is needed before it.
manager(cmd) := manager_named(lib.program(cmd), cmd)

manager_named(p, _) := manager_of[p]

manager_named(p, _) := "pip" if {
	startswith(p, "pip3.")
	digits(substring(p, 5, -1))
}

# Every character a digit, at least one (no regex: ~10 µs a call).
digits(s) if {
	s != ""
	trim_left(s, "0123456789") == ""
}

# `python -m pip install …` runs pip.
manager_named(p, cmd) := "pip" if {
	startswith(p, "python")
	trim_left(substring(p, 6, -1), "0123456789.") == ""
	args := lib.program_args(cmd)
	count(args) > 1
	args[0] == "-m"
	args[1] == "pip"
}

# Options that take the next word as their value, per manager.
valued_options := {
	"apt": {"-o", "-t", "-c", "--target-release", "--option", "--config-file"},
	"apk": {"-t", "--virtual", "-X", "--repository", "--root", "-p", "--arch", "--keys-dir", "--repositories-file", "--cache-dir"},
	"pip": {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--platform", "--python-version", "--implementation", "--abi", "--only-binary", "--no-binary", "--trusted-host", "--src", "--upgrade-strategy", "--progress-bar", "--cache-dir", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--cert", "--client-cert", "--python"},
	"npm": {"--prefix", "--registry", "--cache", "--userconfig", "--tag", "-w", "--workspace", "--omit", "--include", "--install-strategy", "--loglevel"},
	"gem": {"-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-P", "--trust-policy", "--platform", "-g", "--file"},
	"dnf": rpm_valued_options,
	"yum": rpm_valued_options,
	"zypper": {"-r", "--repo", "--from", "-t", "--type", "-p", "--plus-repo"},
	"go": {"-C", "-o", "-p", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile", "-overlay", "-pkgdir", "-toolexec", "-exec", "-buildmode", "-compiler", "-installsuffix", "-pgo", "-buildvcs"},
}

# dnf, microdnf and yum options with a separate value.
rpm_valued_options := {"-c", "--config", "-x", "--exclude", "--repo", "--repoid", "--enablerepo", "--disablerepo", "--installroot", "--releasever", "--setopt", "-d", "--debuglevel", "-e", "--errorlevel"}

# The subcommand words that install packages, per manager.
install_subcommands := {
	"apt": {"install"},
	"apk": {"add"},
	"pip": {"install"},
	"npm": {"install", "i", "add", "isntall", "in"},
	"gem": {"install"},
	"go": {"install"},
	"dnf": {"install"},
	"yum": {"install"},
	"zypper": {"install", "in"},
}

# Operands (not options, not option values) after the install subcommand.
operands(m, args) := [w |
	some k, w in args
	k > s
	not startswith(w, "-")
	not valued_options[m][args[k - 1]]
] if s := sub_at(m, args)

sub_at(m, args) := min({k | some k, w in args; install_subcommands[m][w]})

# A word that is not a package name from the repository: a variable, a
# path, a file, a URL, a shell redirect.
not_a_name(w) if contains(w, "$")

# A path or URL; npm's scoped names (`@angular/cli`) are names.
not_a_name(w) if {
	contains(w, "/")
	not scoped_name(w)
}

not_a_name(w) if startswith(w, ".")

not_a_name(w) if {
	some ext in [".deb", ".apk", ".whl", ".tar.gz", ".tgz", ".zip", ".gem", ".rpm"]
	endswith(w, ext)
}

# `@scope/name`.
scoped_name(w) if {
	startswith(w, "@")
	parts := split(w, "/")
	count(parts) == 2
	parts[0] != "@"
	parts[1] != ""
}

# A redirect: `>x`, `2>&1`, `<in`.
not_a_name(w) if {
	rest := trim_left(w, "0123456789")
	some c in ["<", ">", "&"]
	startswith(rest, c)
}

# go: modules are paths, so only the version suffix is judged.
unpinned("go", w, _) if {
	some tag in ["@latest", "@master", "@main", "@HEAD"]
	endswith(w, tag)
}

unpinned(m, w, args) if {
	m != "go"
	not not_a_name(w)
	not pinned(m, w, args)
	not self_upgrade(m, w, args)
}

pinned("apt", w, _) if contains(w, "=")

pinned("apk", w, _) if {
	some c in ["=", "<", ">", "~"]
	contains(w, c)
}

pinned("pip", w, _) if {
	some c in ["=", "<", ">", "~", "!", "@"]
	contains(w, c)
}

# `pkg@1.2.3`, `@scope/pkg@^1.2`; not a dist-tag such as `@latest`.
pinned("npm", w, _) if {
	name := trim_prefix(w, "@")
	at := indexof(name, "@")
	at > 0
	at < count(name) - 1
	not dist_tag(w)
}

pinned("gem", w, _) if contains(w, ":")

# rpm: `name-version[-release]`, a version starting with a digit after a
# dash (`tomcat-9.0.1`; not `python3-devel`); or a module stream `nodejs:20`.
pinned(m, w, _) if {
	rpm_style[m]
	some k, part in split(w, "-")
	k > 0
	digits(substring(part, 0, 1))
}

pinned(m, w, _) if {
	rpm_style[m]
	contains(w, ":")
}

rpm_style := {"dnf", "yum"}

# A group (`@development-tools`) has no version.
pinned(m, w, _) if {
	rpm_style[m]
	startswith(w, "@")
}

pinned("zypper", w, _) if {
	some c in ["=", "<", ">"]
	contains(w, c)
}

pinned("gem", _, args) if {
	some v in ["-v", "--version"]
	v in args
}

# `pip install -U pip setuptools wheel` upgrades the installer itself.
self_upgrade("pip", w, args) if {
	lower(w) in {"pip", "setuptools", "wheel"}
	some u in ["-U", "--upgrade"]
	u in args
}

# `apt-get install -s` only simulates the install.
simulated(cmd) if {
	manager(cmd) == "apt"
	some w in lib.program_args(cmd)
	w in {"-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act"}
}

# The unpinned packages of one simple command, with its manager.
unpinned_packages(cmd) := [m, ws] if {
	m := manager(cmd)
	not allowed[m]
	not simulated(cmd)
	all_args := lib.program_args(cmd)
	args := array.slice(all_args, pip_module_offset(cmd), count(all_args))
	ws := [w | some w in operands(m, args); unpinned(m, w, args)]
	count(ws) > 0
}

# `python -m pip install`: the pip arguments start after `-m pip`.
pip_module_offset(cmd) := 2 if startswith(lib.program(cmd), "python")

pip_module_offset(cmd) := 0 if not startswith(lib.program(cmd), "python")

# One finding per RUN, listing what it installs unpinned.
deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	mentions_manager(ins)
	found := [sprintf("%s: %s", [m, concat(", ", ws)]) |
		some cmd in ins.commands
		[m, ws] := unpinned_packages(cmd)
	]
	count(found) > 0
	msg := sprintf("packages installed without a pinned version (%s); pin each one (`pkg=version` for apt/apk/zypper, `pkg==version` for pip, `pkg@version` for npm/go, `pkg:version` for gem, `pkg-version` for dnf/yum), or list the manager in `parameters.unpinned-package-managers`", [concat("; ", found)])
}

# Evaluated once per RUN (a `some` in the rule body would repeat the work
# for every manager mentioned).
mentions_manager(ins) if {
	some mention in ["apt", "apk", "pip", "npm", "gem", "go ", "dnf", "yum", "zypper"]
	lib.run_mentions(ins, mention)
}

dist_tag(w) if {
	some tag in ["latest", "next", "canary", "beta", "alpha", "rc", "stable", "lts"]
	endswith(w, concat("", ["@", tag]))
}
