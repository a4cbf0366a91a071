package dev.freshet.data.eval;

/**
 * Partial selection over primitive int arrays: the best {@code limit} of the first {@code n}
 * entries, best first, in {@code O(n log limit)} with a bounded heap whose root is the worst kept
 * entry. Used by the baselines, which rank thousands of candidates per query but keep a few.
 */
final class TopSelection {

  /** Orders ids: negative if {@code a} ranks before {@code b}. Must be a strict total order. */
  @FunctionalInterface
  interface IdOrder {
    int compare(int a, int b);
  }

  private TopSelection() {}

  /**
   * Rearranges {@code ids[0, n)} so that its first {@code min(n, limit)} entries are the best ones
   * under {@code order}, sorted best first; the rest of the range is left in an unspecified order.
   *
   * @return {@code min(n, limit)}
   */
  static int select(int[] ids, int n, int limit, IdOrder order) {
    if (n < 0 || n > ids.length) {
      throw new IllegalArgumentException("n " + n + " outside [0, " + ids.length + "]");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    int size = Math.min(n, limit);
    int[] heap = new int[size];
    int filled = 0;
    for (int i = 0; i < n; i++) {
      int id = ids[i];
      if (filled < size) {
        heap[filled] = id;
        siftUp(heap, filled++, order);
      } else if (order.compare(id, heap[0]) < 0) {
        heap[0] = id;
        siftDown(heap, size, order);
      }
    }
    for (int end = size - 1; end >= 0; end--) {
      ids[end] = heap[0];
      heap[0] = heap[end];
      siftDown(heap, end, order);
    }
    return size;
  }

  /** Root = worst: a parent ranks after (or equal to) its children. */
  private static void siftUp(int[] heap, int i, IdOrder order) {
    int id = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (order.compare(heap[parent], id) >= 0) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = id;
  }

  private static void siftDown(int[] heap, int size, IdOrder order) {
    if (size == 0) {
      return;
    }
    int id = heap[0];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && order.compare(heap[child + 1], heap[child]) > 0) {
        child++;
      }
      if (order.compare(heap[child], id) <= 0) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = id;
  }
}
