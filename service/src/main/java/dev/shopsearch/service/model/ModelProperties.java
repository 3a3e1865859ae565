package dev.shopsearch.service.model;

import dev.shopsearch.core.encode.ExecutionProvider;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.model}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param bundleDir model bundle directory ({@code model.json}, towers, tokenizer)
 * @param provider {@code cpu} or {@code cuda} (any case)
 * @param deviceId CUDA device id
 * @param allowCpuFallback run on CPU (logged, reported) when CUDA cannot be loaded
 * @param intraOpThreads ONNX Runtime intra-op threads, 0 = cores
 */
@Validated
@ConfigurationProperties("shopsearch.model")
public record ModelProperties(
    Path bundleDir,
    @DefaultValue("cpu") ExecutionProvider provider,
    @DefaultValue("0") @Min(0) int deviceId,
    @DefaultValue("false") boolean allowCpuFallback,
    @DefaultValue("0") @Min(0) @Max(256) int intraOpThreads) {}
