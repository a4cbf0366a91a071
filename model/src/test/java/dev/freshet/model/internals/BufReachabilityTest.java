package dev.freshet.model.internals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BufReachabilityTest {

  @Test
  void shouldKeepACopysMemoryWhileTheBufIsInUse() throws Exception {
    INDArray big = Nd4j.rand(DataType.FLOAT, 100, 1000);
    int broken = 0;
    for (int k = 0; k < 100; k++) {
      INDArray view = big.get(NDArrayIndex.interval(10, 20), NDArrayIndex.all());
      float[] expected = view.dup('c').data().asFloat();
      // The c-order copy of a view is referenced by the Buf alone.
      Buf b = Buf.reading(view);
      view = null;
      // Not waiting for a condition: ND4J frees an unreachable array's memory on a deallocator
      // thread after a collection, so the test collects, lets that thread run, and reuses the
      // memory, which a Buf that does not keep its array alive would then read.
      System.gc();
      Thread.sleep(2);
      for (int j = 0; j < 20; j++) {
        Nd4j.create(DataType.FLOAT, 10, 1000).assign(Float.NaN);
      }
      System.gc();
      Thread.sleep(2);
      for (int i = 0; i < expected.length; i++) {
        if (b.get(i) != expected[i]) {
          broken++;
          break;
        }
      }
    }
    assertThat(broken).as("Bufs that read other memory than their array's").isZero();
  }
}
