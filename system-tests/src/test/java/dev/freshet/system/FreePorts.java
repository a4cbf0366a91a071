package dev.freshet.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for services a test starts, stops and starts again on the same port.
 *
 * <p>A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, the range it
 * also hands out as the local port of every outgoing connection. Between choosing the port and a
 * service binding it (or between a kill and a restart), any Kafka client of the test may take it
 * for a connection, and the service then fails to bind. These ports come from below that range,
 * where the kernel never allocates on its own.
 */
final class FreePorts {

  private static final int LOWEST = 10_000;

  private FreePorts() {}

  /** A port below the ephemeral range that was free a moment ago. */
  static int belowEphemeralRange() throws IOException {
    int top = ephemeralLow() - 1;
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = rnd.nextInt(LOWEST, top + 1);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // another test's service, or a listener of the machine: try the next
      }
    }
    throw new IOException("no free port in " + LOWEST + ".." + top + " after 200 attempts");
  }

  /**
   * The low end of the kernel's ephemeral range (Linux's default 32768 where it cannot be read).
   */
  static int ephemeralLow() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      String[] parts = Files.readString(range).trim().split("\\s+");
      int low = Integer.parseInt(parts[0]);
      return low > LOWEST + 1_000 ? low : 32_768;
    } catch (IOException | RuntimeException unreadable) {
      return 32_768;
    }
  }
}
