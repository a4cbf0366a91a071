package dev.freshet.registry.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** A small thread-safe least-recently-used cache; values are computed outside the lock. */
final class LruCache<K, V> {

  private final Map<K, V> map;

  LruCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The cached value, or the loader's (cached if non-null). Loader exceptions propagate. */
  V get(K key, Function<K, V> loader) {
    synchronized (map) {
      V cached = map.get(key);
      if (cached != null) {
        return cached;
      }
    }
    V loaded = loader.apply(key);
    if (loaded != null) {
      synchronized (map) {
        map.put(key, loaded);
      }
    }
    return loaded;
  }

  void put(K key, V value) {
    synchronized (map) {
      map.put(key, value);
    }
  }

  void removeIf(Predicate<K> predicate) {
    synchronized (map) {
      map.keySet().removeIf(predicate);
    }
  }
}
