#!/usr/bin/env python3
"""Writes a large OCI image layout for bench/image.sh: LAYERS gzip layers,
each with FILES small files (1-4 KiB of text), one BIG_MB MiB file of random
bytes, and, in the first layer, a few files the rules look at (a private
key, a .env, setuid binaries) that the last layer deletes. Usage:
make_image.py OUT_DIR LAYERS FILES BIG_MB"""
import gzip, hashlib, io, json, os, random, sys, tarfile

out, layers, files, big_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
blobs = os.path.join(out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)
rng = random.Random(42)
words = [("word%d" % i).encode() for i in range(5000)]


class Random:
    """A file object of `size` random bytes, made on the fly."""
    def __init__(self, size):
        self.left = size
    def read(self, n=-1):
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return os.urandom(n)


def add(tar, path, data=None, size=None, mode=0o644):
    info = tarfile.TarInfo(path)
    info.mode, info.mtime = mode, 0
    if data is not None:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        info.size = size
        tar.addfile(info, Random(size))


def write_blob(tmp):
    h = hashlib.sha256()
    with open(tmp, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    os.replace(tmp, os.path.join(blobs, digest))
    return "sha256:" + digest, os.path.getsize(os.path.join(blobs, digest))


class Hashing:
    """Hashes the uncompressed tar stream (the diff_id) on its way to gzip."""
    def __init__(self, inner):
        self.inner, self.h = inner, hashlib.sha256()
    def write(self, b):
        self.h.update(b)
        return self.inner.write(b)
    def flush(self):
        self.inner.flush()


descriptors, diff_ids, history = [], [], []
for n in range(layers):
    tmp = os.path.join(out, "layer.tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz:
        stream = Hashing(gz)
        with tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            if n == 0:
                add(tar, "root/.ssh/id_rsa", b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", mode=0o600)
                add(tar, "app/.env", b"DB_PASSWORD=correct-horse-battery\n")
                add(tar, "bin/su", b"\x7fELF", mode=0o4755)
                add(tar, "usr/bin/wall", b"\x7fELF", mode=0o2755)
            if n == layers - 1:
                add(tar, "root/.ssh/.wh.id_rsa", b"")
            for i in range(files):
                text = b" ".join(rng.choice(words) for _ in range(rng.randint(150, 600)))
                add(tar, "usr/share/layer%d/dir%03d/file%05d.txt" % (n, i % 500, i), text)
            add(tar, "opt/data/layer%d.bin" % n, size=big_mb << 20)
    digest, size = write_blob(tmp)
    descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
    diff_ids.append("sha256:" + stream.h.hexdigest())
    history.append({"created_by": "COPY layer%d / # buildkit" % n})
    print("layer %d: %s, %.0f MB compressed" % (n, digest[:19], size / 1e6), flush=True)


def blob(obj):
    data = json.dumps(obj).encode()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest[7:]), "wb") as f:
        f.write(data)
    return digest, len(data)


config = {"architecture": "amd64", "os": "linux", "config": {"User": "10001"},
          "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}
cd, cs = blob(config)
md, ms = blob({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
               "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
               "layers": descriptors})
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
               "digest": md, "size": ms, "annotations": {"io.containerd.image.name": "bench/big:1.0"}}]}, f)
with open(os.path.join(out, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion": "1.0.0"}')
