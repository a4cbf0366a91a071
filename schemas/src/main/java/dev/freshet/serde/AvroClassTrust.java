package dev.freshet.serde;

import dev.freshet.serde.internals.GeneratedClassTrust;

/**
 * Makes Avro trust Freshet's generated record classes JVM-wide.
 *
 * <p>Avro (1.11.4 and later) refuses to load a class named in a schema unless it is trusted; this
 * bites not only when reading but also when a generated builder fills in a default value of a
 * record type (for example an empty {@code inputSegments} array of a {@code SnapshotManifest}). The
 * serdes call {@link #install()} themselves; code that builds records before creating any serde
 * (entry points, helpers that build records) calls it first. Idempotent and cheap.
 */
public final class AvroClassTrust {

  private AvroClassTrust() {}

  /** Trusts Avro-generated types in addition to whatever was trusted before. */
  public static void install() {
    GeneratedClassTrust.install();
  }
}
