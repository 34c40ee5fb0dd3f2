package rules.rpm_cache_not_cleaned

import data.lib
import rego.v1

metadata := {
	"id": "CP717",
	"name": "rpm-cache-not-cleaned",
	"title": "yum/dnf/microdnf/zypper install without cleaning the cache",
	"severity": "info",
	"tags": ["image-size", "hygiene"],
	"kinds": ["dockerfile"],
	"why": "yum, dnf, microdnf and zypper keep repository metadata (often 100 MB and more) and downloaded packages under /var/cache; unless the same RUN cleans them, they stay in the layer for good. Only the stages the shipped image is made of are judged.",
	"fix": "End the same RUN with `yum clean all` / `dnf clean all` / `microdnf clean all` / `zypper clean --all` (or `rm -rf /var/cache/yum /var/cache/dnf`), or use a cache mount on /var/cache/<manager>.",
	"examples": [{"kind": "dockerfile", "bad": "FROM rockylinux:9\nRUN dnf install -y httpd", "good": "FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all"}],
}

# Package manager → its install subcommands, its cleaning subcommands, and
# the cache directories it uses.
managers := {
	"yum": {"install": {"install", "groupinstall", "localinstall", "update", "upgrade"}, "clean": {"clean"}, "caches": ["/var/cache/yum", "/var/cache/dnf"]},
	"dnf": {"install": {"install", "groupinstall", "localinstall", "update", "upgrade"}, "clean": {"clean"}, "caches": ["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"]},
	"microdnf": {"install": {"install", "update", "upgrade"}, "clean": {"clean"}, "caches": ["/var/cache/yum", "/var/cache/dnf"]},
	"tdnf": {"install": {"install", "update", "upgrade"}, "clean": {"clean"}, "caches": ["/var/cache/tdnf"]},
	"zypper": {"install": {"install", "in", "update", "up", "dist-upgrade", "dup"}, "clean": {"clean", "cc"}, "caches": ["/var/cache/zypp"]},
}

# The RUN cleans after itself: any of the managers' clean subcommand (yum
# and dnf share their caches), `rm` of a cache directory, or a cache mount.
cleans(ins, name) if {
	some cmd in ins.commands
	p := lib.program(cmd)
	managers[p]
	some sub in lib.program_args(cmd)
	managers[p].clean[sub]
}

cleans(ins, name) if {
	some cmd in ins.commands
	lib.program(cmd) == "rm"
	some w in lib.program_args(cmd)
	some dir in managers[name].caches
	startswith(w, dir)
}

cleans(ins, name) if {
	some dir in managers[name].caches
	lib.has_cache_mount(ins, dir)
}

# The first non-option word after the program is its subcommand.
subcommand(cmd) := subs[0] if {
	subs := [w | some w in lib.program_args(cmd); not startswith(w, "-")]
	count(subs) > 0
}

# [manager, subcommand] of each install a RUN runs without cleaning after it.
uncleaned(ins) := [[name, sub] |
	some cmd in ins.commands
	some m, _ in managers
	lib.word_in(cmd, m)
	name := lib.program(cmd)
	managers[name]
	sub := subcommand(cmd)
	managers[name].install[sub]
	not cleans(ins, name)
]

# One finding per RUN, naming its first install.
deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins] in lib.final_runs
	mentions_manager(ins)
	found := uncleaned(ins)
	count(found) > 0
	[name, sub] := found[0]
	msg := sprintf("`%s %s` leaves its metadata and package cache in the layer; end the same RUN with `%s`", [name, sub, clean_command(name)])
}

clean_command(name) := "zypper clean --all" if name == "zypper"

clean_command(name) := sprintf("%s clean all", [name]) if name != "zypper"

mentions_manager(ins) if {
	some mention, _ in managers
	lib.run_mentions(ins, mention)
}
