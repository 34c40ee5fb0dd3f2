FROM php:8.3-fpm-alpine
# expect: CP201
COPY --from=composer /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
