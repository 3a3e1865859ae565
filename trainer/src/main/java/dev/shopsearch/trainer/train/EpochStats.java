package dev.shopsearch.trainer.train;

/**
 * What one epoch did.
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean training loss
 * @param lastLr learning rate at the epoch's last step
 * @param samplesPerSecond training throughput
 * @param seconds wall time of the epoch (training part)
 * @param validation validation recall after the epoch
 */
public record EpochStats(
    int epoch,
    double trainLoss,
    double lastLr,
    double samplesPerSecond,
    double seconds,
    Recall validation) {}
