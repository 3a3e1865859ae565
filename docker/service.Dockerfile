# syntax=docker/dockerfile:1.7
# shopsearch search service (Spring Boot), CPU build.
#   docker build -f docker/service.Dockerfile -t shopsearch/service:0.1.0 .
# The CUDA build is docker/service-cuda.Dockerfile (same layout, -Pcuda, NVIDIA runtime base).

ARG JDK_IMAGE=eclipse-temurin:25-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY core/pom.xml core/
COPY tooling/pom.xml tooling/
COPY indexer/pom.xml indexer/
COPY trainer/pom.xml trainer/
COPY service/pom.xml service/
COPY bench/pom.xml bench/
COPY e2e/pom.xml e2e/
COPY engine-launcher/pom.xml engine-launcher/
COPY secure-engine/pom.xml secure-engine/
COPY opensearch/pom.xml opensearch/
# Resolve dependencies in their own layer so source edits do not re-download them.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q -pl service -am dependency:go-offline -Dspotless.check.skip=true || true
COPY core/src core/src
# Built for the service's tests only (test scope): the service jar does not contain it.
COPY tooling/src tooling/src
# The OpenSearch backend (shopsearch.backend=opensearch) is in the jar; engine-launcher and
# secure-engine are built for the service's tests only (test scope, their engine jars never enter
# the image).
COPY opensearch/src opensearch/src
COPY engine-launcher/src engine-launcher/src
COPY secure-engine/src secure-engine/src
COPY service/src service/src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl service -am package -DskipTests -Dspotless.check.skip=true \
 && cp service/target/shopsearch-service-*.jar /src/application.jar \
 && java -Djarmode=tools -jar /src/application.jar extract --layers --destination /src/extracted

FROM ${JRE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 shopsearch \
 && useradd --system --uid 10001 --gid shopsearch --home-dir /app --shell /usr/sbin/nologin shopsearch
WORKDIR /app
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./
# DJL must never phone home; the JVM sizes its heap from the container limit.
ENV OPT_OUT_TRACKING=true \
    DJL_OFFLINE=true \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Djava.awt.headless=true" \
    SHOPSEARCH_MODEL_BUNDLEDIR=/models/current \
    SHOPSEARCH_INDEX_ROOT=/data/index \
    SHOPSEARCH_INDEX_CATALOGROOT=/data/catalog
USER 10001:10001
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8081/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "application.jar"]
