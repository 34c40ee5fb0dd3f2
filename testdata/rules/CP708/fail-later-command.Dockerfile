FROM jenkins/inbound-agent:3261.v9c670a_4748a_9-1
# expect: CP708
RUN mkdir -p /home/jenkins/tools && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y make
# expect: CP708
RUN if [ -n "$EXTRA" ]; then sudo pip install "$EXTRA"; fi
