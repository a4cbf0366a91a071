package dev.freshet.system;

import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker or the embedded registry in a process of its own, for fault tests that stop
 * and restart them:
 *
 * <pre>
 * ServiceMain broker DATA_DIR PORT CONTROLLER_PORT
 * ServiceMain registry BOOTSTRAP PORT
 * </pre>
 *
 * <p>Prints {@value #READY} and the address once it serves, then runs until killed (SIGTERM closes
 * it cleanly). The broker reuses its data directory, so a restart keeps every topic and offset.
 */
final class ServiceMain {

  static final String READY = "freshet-service-ready";

  private ServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    AutoCloseable service;
    String address;
    long t0 = System.nanoTime();
    switch (args[0]) {
      case "broker" -> {
        EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(
                new EmbeddedKafkaBroker.Options()
                    .dataDir(Path.of(args[1]))
                    .port(Integer.parseInt(args[2]))
                    .controllerPort(Integer.parseInt(args[3])));
        service = broker;
        address = broker.bootstrapServers();
      }
      case "registry" -> {
        EmbeddedSchemaRegistry registry =
            EmbeddedSchemaRegistry.start(
                new EmbeddedSchemaRegistry.Options(args[1]).port(Integer.parseInt(args[2])));
        service = registry;
        address = registry.url();
      }
      default -> throw new IllegalArgumentException("broker or registry, not " + args[0]);
    }
    System.out.println(
        READY + " " + address + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  closed.countDown();
                }));
    closed.await();
  }
}
