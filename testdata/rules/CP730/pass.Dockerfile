FROM debian:12
WORKDIR /usr/src/app
RUN ./configure && make
RUN ls /media/cdrom
