package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

  private static final String SCOPE = "mock-registry-test";
  private static final Schema V1 = SchemaBuilder.record("R").fields().requiredInt("a").endRecord();
  private static final Schema V2_OPTIONAL =
      SchemaBuilder.record("R").fields().requiredInt("a").optionalString("b").endRecord();
  private static final Schema V2_REQUIRED =
      SchemaBuilder.record("R").fields().requiredInt("a").requiredString("b").endRecord();

  private final SchemaRegistryClient registry = MockSchemaRegistry.client(SCOPE);

  @AfterEach
  void drop() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  @Test
  void shouldShareOneRegistryPerScopeAndIsolateScopes() {
    int id = registry.register("s", V1);
    assertThat(MockSchemaRegistry.client(SCOPE).getSchemaById(id)).isEqualTo(V1);
    assertThatThrownBy(() -> MockSchemaRegistry.client(SCOPE + "-other").getSchemaById(id))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.isSchemaNotFound()).isTrue());
    MockSchemaRegistry.dropScope(SCOPE + "-other");
  }

  @Test
  void shouldGiveIdenticalSchemasOneIdAcrossSubjectsAndNotAddVersionsTwice() {
    int a = registry.register("a", V1);
    int b = registry.register("b", V1);
    assertThat(b).isEqualTo(a);
    assertThat(registry.register("a", V1)).isEqualTo(a);
    assertThat(registry.getLatestSchemaMetadata("a")).isEqualTo(new SchemaMetadata("a", 1, a, V1));
  }

  @Test
  void shouldEnforceBackwardCompatibilityByDefault() {
    registry.register("s", V1);
    assertThat(registry.getCompatibility("s")).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(registry.register("s", V2_OPTIONAL)).isPositive();
    assertThatThrownBy(() -> registry.register("s", V2_REQUIRED))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.isIncompatible()).isTrue();
            });
    assertThat(registry.getLatestSchemaMetadata("s").version()).isEqualTo(2);
  }

  @Test
  void shouldHonourSubjectLevelOverGlobalLevel() {
    registry.register("s", V1);
    registry.setCompatibility("s", CompatibilityLevel.NONE);
    assertThat(registry.register("s", V2_REQUIRED)).isPositive();
    registry.setGlobalCompatibility(CompatibilityLevel.FORWARD);
    registry.register("t", V2_OPTIONAL);
    // FORWARD: the old schema must read data written with the new one; dropping 'b' is fine.
    assertThat(registry.testCompatibility("t", V1)).isTrue();
    registry.register("u", V1);
    registry.setCompatibility("u", CompatibilityLevel.FORWARD);
    // Adding a required field is FORWARD compatible (old readers ignore it) ...
    assertThat(registry.testCompatibility("u", V2_REQUIRED)).isTrue();
    // ... but not FULL: the new reader has no default for it.
    registry.setCompatibility("u", CompatibilityLevel.FULL);
    assertThat(registry.testCompatibility("u", V2_REQUIRED)).isFalse();
  }

  @Test
  void shouldCheckAllVersionsForTransitiveLevels() {
    Schema v1 = SchemaBuilder.record("R").fields().requiredInt("a").endRecord();
    Schema v2 = SchemaBuilder.record("R").fields().optionalInt("a").endRecord();
    Schema v3 = SchemaBuilder.record("R").fields().optionalInt("a").optionalLong("c").endRecord();
    registry.setCompatibility("s", CompatibilityLevel.NONE);
    registry.register("s", v1);
    registry.register("s", v2);
    Schema dropsA = SchemaBuilder.record("R").fields().requiredLong("a").endRecord();
    registry.setCompatibility("s", CompatibilityLevel.BACKWARD);
    assertThat(registry.testCompatibility("s", v3)).isTrue();
    // long 'a' can read v1's int but not v2's optional int
    registry.setCompatibility("s", CompatibilityLevel.BACKWARD_TRANSITIVE);
    assertThat(registry.testCompatibility("s", dropsA)).isFalse();
  }

  @Test
  void shouldReportMissingSubjectsAndSchemasWithConfluentCodes() {
    assertThatThrownBy(() -> registry.getLatestSchemaMetadata("nope"))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(RegistryException.SUBJECT_NOT_FOUND));
    registry.register("s", V1);
    assertThatThrownBy(() -> registry.lookup("s", V2_OPTIONAL))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(RegistryException.SCHEMA_NOT_FOUND));
    assertThat(registry.testCompatibility("nope", V2_REQUIRED)).isTrue();
  }

  @Test
  void shouldKeepIdsResolvableAfterSubjectDeletion() {
    int id = registry.register("s", V1);
    registry.register("s", V2_OPTIONAL);
    assertThat(registry.deleteSubject("s")).containsExactly(1, 2);
    assertThat(registry.listSubjects()).doesNotContain("s");
    assertThat(registry.getSchemaById(id)).isEqualTo(V1);
  }
}
