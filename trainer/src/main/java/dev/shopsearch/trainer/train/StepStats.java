package dev.shopsearch.trainer.train;

/**
 * One applied optimizer step, as {@link TrainingListener#onTrainingBatch} sees it.
 *
 * @param epoch 1-based epoch
 * @param epochs the run's maximum epochs
 * @param step 1-based step within the epoch
 * @param steps steps per epoch
 * @param globalStep optimizer steps taken so far in the run, this one included
 * @param loss the step's loss
 * @param learningRate the learning rate the step used
 * @param rows examples in the batch
 * @param dataNanos time spent collating the batch (decoding, augmentation)
 * @param nanos time of the whole step, collation included
 */
public record StepStats(
    int epoch,
    int epochs,
    int step,
    int steps,
    long globalStep,
    float loss,
    double learningRate,
    int rows,
    long dataNanos,
    long nanos) {}
