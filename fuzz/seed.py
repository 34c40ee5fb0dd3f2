#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets to fuzz/corpus/<target>/:
text from testdata/ and a fixed sample of ../shared/corpus (when present),
small image layouts and layers built here. Nothing here is committed.

Usage: fuzz/seed.py [--sample N]   (N files per kind from the shared corpus)
"""
import argparse, gzip, hashlib, io, json, os, random, re, tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")
SEPARATOR = b"\n--blob--\n"  # fuzzing::MEMBER_SEPARATOR
MAX_SEED = 16 * 1024


def put(target, data):
    if not data or len(data) > MAX_SEED * 4:
        return
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def files(root):
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(names):
            yield os.path.join(dirpath, n)


def is_dockerfile(path):
    n = os.path.basename(path).lower()
    return (n.startswith(("dockerfile", "containerfile")) or n.endswith(".dockerfile")) and not n.endswith(
        (".md", ".txt", ".yaml", ".yml", ".json", ".sh", ".dockerignore"))


def is_yaml(path):
    return path.lower().endswith((".yaml", ".yml", ".json"))


def read(path):
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SEED + 1)
        return data if len(data) <= MAX_SEED else None
    except OSError:
        return None


def text_seeds(paths):
    for p in paths:
        data = read(p)
        if not data:
            continue
        if is_dockerfile(p):
            put("dockerfile", data)
            for line in re.findall(rb"(?m)^RUN [^\n]*(?:\\\n[^\n]*)*", data):
                put("shell", line[4:])
        elif is_yaml(p):
            put("yaml", data)
        # Token formats live in every kind of text; lines keep seeds short.
        for line in data.splitlines():
            if re.search(rb"(AKIA|gh[pousr]_|github_pat_|glpat-|xox|hooks\.slack|sk_live|sk-|npm_|pypi-|eyJ|BEGIN|LS0tLS1|://|SK[0-9a-f]|AIza|password|secret|token)", line, re.I):
                put("tokens", line)


def tar_bytes(entries, fmt=tarfile.GNU_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for e in entries:
            info = tarfile.TarInfo(e["name"])
            info.type = e.get("type", tarfile.REGTYPE)
            info.mode = e.get("mode", 0o644)
            info.linkname = e.get("link", "")
            data = e.get("data", b"")
            info.size = len(data) if info.type == tarfile.REGTYPE else 0
            t.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
    return buf.getvalue()


KEY = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
LAYERS = [
    [{"name": "etc/", "type": tarfile.DIRTYPE}, {"name": "etc/passwd", "data": b"root:x:0:0::/root:/bin/sh\n"},
     {"name": "root/.ssh/id_rsa", "data": KEY, "mode": 0o600}],
    [{"name": "usr/bin/su", "data": b"\x7fELF", "mode": 0o4755}, {"name": "app/.env", "data": b"TOKEN=ghp_" + b"a" * 36 + b"\n"},
     {"name": "app/.git/HEAD", "data": b"ref: refs/heads/main\n"}, {"name": "root/.ssh/.wh.id_rsa"}],
    [{"name": "a/.wh..wh..opq"}, {"name": "home/u/.npmrc", "data": b"//registry/:_authToken=npm_" + b"b" * 36},
     {"name": "x/key.pem", "type": tarfile.LNKTYPE, "link": "root/.ssh/id_rsa"},
     {"name": "y/link", "type": tarfile.SYMTYPE, "link": "../../etc/shadow"},
     {"name": "deep/" + "d" * 120 + "/.docker/config.json", "data": b'{"auths":{"r":{"auth":"dTpw"}}}'}],
]


def layer_seeds():
    for i, entries in enumerate(LAYERS):
        for fmt in (tarfile.GNU_FORMAT, tarfile.PAX_FORMAT, tarfile.USTAR_FORMAT):
            try:
                raw = tar_bytes(entries, fmt)
            except ValueError:  # a name too long for ustar
                continue
            put("layer_tar", raw)
            put("layer_tar", gzip.compress(raw, mtime=0))


def image_seeds():
    """Members: index (or manifest.json), then blobs; `@N`/`#N`/`%N` stand
    for member N's digest hex, size and diff_id (see fuzzing::image_index)."""

    def doc(value):  # "#N" sizes become numbers
        return re.sub(rb'"(#\d+)"', rb"\1", json.dumps(value).encode())

    def desc(media, n, **extra):
        return dict(mediaType=media, digest=f"sha256:@{n}", size=f"#{n}", **extra)

    def config(layers):
        return doc({
            "architecture": "amd64", "os": "linux",
            "config": {"User": "0", "Env": ["PATH=/bin", "DB_PASSWORD=hunter2hunter2"],
                       "ExposedPorts": {"22/tcp": {}}, "Labels": {"a": "b"},
                       "Healthcheck": {"Test": ["CMD", "true"]}},
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:%{n}" for n in layers]},
            "history": [{"created_by": "RUN |1 DB_PASSWORD=hunter2 /bin/sh -c curl -u admin:pw https://x"}],
        })

    def manifest(cfg, layers):
        return doc({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": desc("application/vnd.oci.image.config.v1+json", cfg),
            "layers": [desc("application/vnd.oci.image.layer.v1.tar", n) for n in layers],
        })

    def index(media, n, **extra):
        return doc({"schemaVersion": 2, "manifests": [desc(media, n, **extra)]})

    manifest_type = "application/vnd.oci.image.manifest.v1+json"
    platform = {"os": "linux", "architecture": "amd64"}
    tag = {"org.opencontainers.image.ref.name": "1.0"}
    layer_a = tar_bytes(LAYERS[0])
    layer_b = gzip.compress(tar_bytes(LAYERS[1]), mtime=0)
    # OCI layout: index -> manifest -> config, layers.
    put("image_index", SEPARATOR.join([
        index(manifest_type, 1, platform=platform, annotations=tag),
        manifest(2, [3, 4]), config([3, 4]), layer_a, layer_b]))
    # A nested index: index -> index -> manifest.
    put("image_index", SEPARATOR.join([
        index("application/vnd.oci.image.index.v1+json", 1),
        index(manifest_type, 2, platform=platform),
        manifest(3, [4, 5]), config([4, 5]), layer_a, layer_b]))
    # docker save's manifest.json.
    legacy = json.dumps([{"Config": "blobs/sha256/@1", "RepoTags": ["app:latest"],
                          "Layers": ["blobs/sha256/@2", "blobs/sha256/@3"]}]).encode()
    put("image_index", SEPARATOR.join([legacy, config([2, 3]), layer_a, layer_b]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=300)
    args = ap.parse_args()
    text_seeds(p for p in files(os.path.join(ROOT, "testdata")))
    shared = os.path.join(ROOT, "..", "shared", "corpus")
    if not os.path.isdir(shared):
        shared = os.path.join(ROOT, "..", "..", "shared", "corpus")
    if os.path.isdir(shared):
        all_files = list(files(shared))
        rng = random.Random(10)
        dockerfiles = [p for p in all_files if is_dockerfile(p)]
        yamls = [p for p in all_files if is_yaml(p)]
        text_seeds(rng.sample(dockerfiles, min(args.sample, len(dockerfiles))))
        text_seeds(rng.sample(yamls, min(args.sample, len(yamls))))
    layer_seeds()
    image_seeds()
    for t in sorted(os.listdir(OUT)):
        print(f"{t}: {len(os.listdir(os.path.join(OUT, t)))} seeds")


if __name__ == "__main__":
    main()
