FROM eclipse-temurin:21-jre
ARG APP_UID=10001
RUN useradd -u ${APP_UID} app
USER ${APP_UID}
CMD ["java", "-jar", "/app.jar"]
