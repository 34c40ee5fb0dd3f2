# An explicit HEALTHCHECK NONE is a decision, not an omission.
FROM mongo:7.0
HEALTHCHECK NONE
USER mongodb
