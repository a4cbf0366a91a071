package dev.freshet.embedded.registry.internals;

import java.util.List;

/**
 * Durable, ordered storage of {@link RegistryEvent}s. The registry is its only writer: it calls
 * {@link #readAll} once at start, then {@link #append} for every change, applying the event to
 * memory only after {@code append} returned.
 */
public interface SchemaLog extends AutoCloseable {

  /** Every event stored so far, oldest first (after compaction: at least the latest per key). */
  List<RegistryEvent> readAll();

  /** Stores {@code event} durably; returns only when it is stored. */
  void append(RegistryEvent event);

  /** Releases resources. */
  @Override
  void close();
}
