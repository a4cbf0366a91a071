package dev.freshet.serde.internals;

import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate generated classes when reading specific records.
 *
 * <p>Since 1.11.4 Avro refuses to load a class named in a schema unless it is trusted (system
 * properties {@code org.apache.avro.SERIALIZABLE_PACKAGES}/{@code SERIALIZABLE_CLASSES} or {@link
 * ClassSecurityValidator#setGlobal}); without this every specific read of {@code dev.freshet.avro}
 * records fails. {@link #install()} extends the JVM-wide predicate, once, to also trust classes
 * that are Avro-generated types (implementations of {@link SpecificRecord}, {@link
 * GenericEnumSymbol} or {@link GenericFixed}): reading into them runs only generated code, which is
 * what the check exists to guarantee. Whatever else the previous predicate trusted stays trusted.
 */
public final class GeneratedClassTrust {

  private static final ClassSecurityPredicate GENERATED =
      type ->
          SpecificRecord.class.isAssignableFrom(type)
              || (type.isEnum() && GenericEnumSymbol.class.isAssignableFrom(type))
              || GenericFixed.class.isAssignableFrom(type);

  private static boolean installed;

  private GeneratedClassTrust() {}

  /** Extends Avro's global class trust to generated types; idempotent and thread-safe. */
  public static synchronized void install() {
    if (!installed) {
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), GENERATED));
      installed = true;
    }
  }
}
