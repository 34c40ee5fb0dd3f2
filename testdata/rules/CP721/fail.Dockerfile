FROM nginx:1.27
# expect: CP721
EXPOSE 80 80800
# expect: CP721
EXPOSE 0/udp
