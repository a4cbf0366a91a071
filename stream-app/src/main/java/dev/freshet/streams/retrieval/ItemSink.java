package dev.freshet.streams.retrieval;

/** Receives (id, vector) pairs from a bulk read of an index; the array may be reused. */
@FunctionalInterface
interface ItemSink {
  void accept(String itemId, float[] vector);
}
