# syntax=docker/dockerfile:1.7
# shopsearch search service, CUDA build: onnxruntime_gpu via the Maven `cuda` profile, on an NVIDIA
# CUDA 12 + cuDNN 9 runtime base (what ONNX Runtime 1.23's CUDA provider loads), with the JDK 25 JRE
# copied in from the Temurin image.
#   docker build -f docker/service-cuda.Dockerfile -t shopsearch/service-cuda:0.1.0 .
# Run with the NVIDIA container runtime (docker run --gpus all ...; k8s: nvidia.com/gpu limit).

ARG JDK_IMAGE=eclipse-temurin:25-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

FROM ${JRE_IMAGE} AS jre

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
    ./mvnw -B -ntp -q -Pcuda -pl service -am dependency:go-offline -Dspotless.check.skip=true || true
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
    ./mvnw -B -ntp -Pcuda -pl service -am package -DskipTests -Dspotless.check.skip=true \
 && cp service/target/shopsearch-service-*.jar /src/application.jar \
 && java -Djarmode=tools -jar /src/application.jar extract --layers --destination /src/extracted

FROM ${CUDA_IMAGE}
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 shopsearch \
 && useradd --system --uid 10001 --gid shopsearch --home-dir /app --shell /usr/sbin/nologin shopsearch
WORKDIR /app
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./
ENV OPT_OUT_TRACKING=true \
    DJL_OFFLINE=true \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Djava.awt.headless=true" \
    SHOPSEARCH_MODEL_PROVIDER=cuda \
    SHOPSEARCH_MODEL_BUNDLEDIR=/models/current \
    SHOPSEARCH_INDEX_ROOT=/data/index \
    SHOPSEARCH_INDEX_CATALOGROOT=/data/catalog
USER 10001:10001
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8081/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "application.jar"]
