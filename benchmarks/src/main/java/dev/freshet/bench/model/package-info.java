/**
 * JMH benchmarks of the model module: the training step of the Covington et al. 2016 network at the
 * reference sizes, side by side with ND4J's gemm throughput on the same machine in the same run, so
 * the step can be reported as a fraction of the gemm bound; and the user tower's inference (the
 * stream app's per-click work) with the batched ND4J kernel and the plain-Java kernel by batch
 * size. Each class's {@code main} runs it and prints the derived figures.
 */
package dev.freshet.bench.model;
