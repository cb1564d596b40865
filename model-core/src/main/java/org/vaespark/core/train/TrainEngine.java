package org.vaespark.core.train;

/**
 * Who runs the parameter-averaging loop ({@code train.engine}). Both train the same graph
 * ({@code ModelGraph}); only the distribution machinery differs.
 */
public enum TrainEngine {
    /** Our explicit loop: broadcast, local Adam steps on SameDiff, treeAggregate (SparkTrainer). */
    SAMEDIFF,
    /** DL4J's SparkComputationGraph + ParameterAveragingTrainingMaster around the same graph as a SameDiffOutputLayer. */
    DL4J
}
