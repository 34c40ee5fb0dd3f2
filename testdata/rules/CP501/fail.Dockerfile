FROM postgres:16
# expect: CP501
ENV POSTGRES_PASSWORD=hunter2
