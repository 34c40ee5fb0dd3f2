# Chainguard images run as non-root, except their -dev variants.
# expect: CP101
FROM cgr.dev/chainguard/python:latest-dev
RUN pip install --no-cache-dir requests==2.32.3
CMD ["python", "-m", "app"]
