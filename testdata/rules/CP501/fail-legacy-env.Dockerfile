FROM mysql:8.4
# The legacy form `ENV KEY value`: the rest of the line is the value.
# expect: CP501
ENV MYSQL_ROOT_PASSWORD s3cr3t-root-pw
