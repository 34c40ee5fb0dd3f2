ARG BASE=python
# expect: CP201
FROM ${BASE} AS build
RUN pip install --no-cache-dir build

FROM build
CMD ["python", "-m", "app"]
