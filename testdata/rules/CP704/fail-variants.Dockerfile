FROM debian:bookworm-slim
# expect: CP704
RUN wget -qO- https://get.docker.com | sh
# expect: CP704
RUN curl -sSL https://install.python-poetry.org | sudo -E bash -s -- --version 1.8.3
# expect: CP704
RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"
# expect: CP704
RUN bash <(curl -s https://codecov.io/bash)
# expect: CP704
RUN set -eux; \
    mkdir -p /opt/tools; \
    curl -fsSL https://sh.rustup.rs \
      | /bin/sh -s -- -y --profile minimal
# expect: CP704
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer
# expect: CP704
RUN curl -L https://cpanmin.us | perl - App::cpanminus
