# syntax=docker/dockerfile:1.7
# shopsearch trainer (DJL + PyTorch CPU natives from Maven Central): fine-tune and export a bundle.
#   CPU:  docker build -f docker/trainer.Dockerfile -t shopsearch/trainer:0.1.0 .
#   CUDA: docker build -f docker/trainer.Dockerfile -t shopsearch/trainer:0.1.0-cuda \
#           --build-arg RUNTIME_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 .
#         DJL 0.36's CUDA libtorch is not on Maven Central: mount a libtorch 2.7.1+cu128 at
#         /opt/libtorch and set PYTORCH_LIBRARY_PATH=/opt/libtorch/lib PYTORCH_FLAVOR=cu128
#         (the k8s gpu overlay's fine-tune Job does this); see docs/deploy.md.

ARG JDK_IMAGE=eclipse-temurin:25-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble

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
    ./mvnw -B -ntp -q -pl trainer -am dependency:go-offline -Dspotless.check.skip=true || true
COPY core/src core/src
COPY tooling/src tooling/src
COPY trainer/src trainer/src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl trainer -am package dependency:copy-dependencies \
        -DskipTests -Dspotless.check.skip=true -DincludeScope=runtime -DoutputDirectory=target/lib \
 && mkdir -p /src/app/lib \
 && cp trainer/target/lib/*.jar /src/app/lib/ \
 && cp trainer/target/shopsearch-trainer-*.jar /src/app/lib/

FROM ${RUNTIME_IMAGE}
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN groupadd --system --gid 10001 shopsearch \
 && useradd --system --uid 10001 --gid shopsearch --home-dir /app --shell /usr/sbin/nologin shopsearch \
 && mkdir -p /data /var/cache/djl \
 && chown shopsearch:shopsearch /data /var/cache/djl
WORKDIR /app
COPY --from=build /src/app/lib/ /app/lib/
# DJL unpacks its PyTorch natives (~430 MB) into DJL_CACHE_DIR on first start; mount a volume there
# to keep them between runs. DJL must never phone home.
ENV OPT_OUT_TRACKING=true \
    DJL_OFFLINE=true \
    DJL_CACHE_DIR=/var/cache/djl \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Djava.awt.headless=true"
USER 10001:10001
VOLUME ["/data", "/var/cache/djl"]
ENTRYPOINT ["java", "-cp", "/app/lib/*", "dev.shopsearch.trainer.cli.TrainerCli"]
CMD ["--help"]
