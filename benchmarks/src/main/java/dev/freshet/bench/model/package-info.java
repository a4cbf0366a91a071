/**
 * JMH benchmarks of the model module: the training step of each model preset (the defaults and the
 * Covington et al. 2016 reference network), side by side with ND4J's gemm throughput on the same
 * machine in the same run, so the step can be reported as a fraction of the gemm bound and the
 * presets as a ratio; and the user tower's inference (the stream app's per-click work) per preset
 * with the batched ND4J kernel and the plain-Java kernel by batch size. Each class's {@code main}
 * runs it and prints the derived figures.
 */
package dev.freshet.bench.model;
