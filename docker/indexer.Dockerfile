# syntax=docker/dockerfile:1.7
# shopsearch indexer: catalog -> index generation, embedded Lucene HNSW or OpenSearch (one-shot job; no server, no healthcheck).
#   docker build -f docker/indexer.Dockerfile -t shopsearch/indexer:0.1.0 .
#   docker run --rm -v shopsearch-data:/data shopsearch/indexer:0.1.0 --help

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
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q -pl indexer -am dependency:go-offline -Dspotless.check.skip=true || true
COPY core/src core/src
COPY tooling/src tooling/src
COPY indexer/src indexer/src
# The OpenSearch backend (--backend opensearch); engine-launcher and secure-engine are test
# dependencies (test nodes), which -am builds too (their engine jars stay in their target/, never
# in the image).
COPY opensearch/src opensearch/src
COPY engine-launcher/src engine-launcher/src
COPY secure-engine/src secure-engine/src
# The module jar plus its runtime dependencies (shopsearch-core and shopsearch-tooling included) in one lib/ folder.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl indexer -am package dependency:copy-dependencies \
        -DskipTests -Dspotless.check.skip=true -DincludeScope=runtime -DoutputDirectory=target/lib \
 && mkdir -p /src/app/lib \
 && cp indexer/target/lib/*.jar /src/app/lib/ \
 && cp indexer/target/shopsearch-indexer-*.jar /src/app/lib/

FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 shopsearch \
 && useradd --system --uid 10001 --gid shopsearch --home-dir /app --shell /usr/sbin/nologin shopsearch \
 && mkdir -p /data && chown shopsearch:shopsearch /data
WORKDIR /app
COPY --from=build /src/app/lib/ /app/lib/
ENV OPT_OUT_TRACKING=true \
    DJL_OFFLINE=true \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Djava.awt.headless=true"
USER 10001:10001
VOLUME ["/data"]
ENTRYPOINT ["java", "-cp", "/app/lib/*", "dev.shopsearch.indexer.cli.IndexerCli"]
CMD ["--help"]
