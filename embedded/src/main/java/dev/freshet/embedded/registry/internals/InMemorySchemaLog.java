package dev.freshet.embedded.registry.internals;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link SchemaLog} in memory; survives registry restarts within the JVM. For tests. */
public final class InMemorySchemaLog implements SchemaLog {

  private final List<RegistryEvent> events = new ArrayList<>();

  @Override
  public synchronized List<RegistryEvent> readAll() {
    return List.copyOf(events);
  }

  @Override
  public synchronized void append(RegistryEvent event) {
    events.add(Objects.requireNonNull(event, "event"));
  }

  /** Keeps the events: a later registry over this log sees them. */
  @Override
  public void close() {}

  /** What and where, for logs. */
  @Override
  public String toString() {
    return "memory";
  }
}
