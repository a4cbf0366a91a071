/**
 * JMH benchmarks of the model module: the training step of the Covington et al. 2016 network at the
 * reference sizes, side by side with ND4J's gemm throughput on the same machine in the same run, so
 * the step can be reported as a fraction of the gemm bound.
 */
package dev.freshet.bench.model;
