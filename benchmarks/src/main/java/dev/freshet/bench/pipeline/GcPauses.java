package dev.freshet.bench.pipeline;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Collects this JVM's garbage-collection pauses (from the collectors' notifications) while open, so
 * a latency run can say which of its slow seconds had a pause in them.
 */
final class GcPauses implements AutoCloseable {

  private record Pause(long startMs, long durationMs, String name) {}

  private final List<Pause> pauses = new ArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
  private final NotificationListener listener =
      (notification, handback) -> {
        if (!notification
            .getType()
            .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        synchronized (pauses) {
          pauses.add(
              new Pause(
                  jvmStartMs + info.getGcInfo().getStartTime(),
                  info.getGcInfo().getDuration(),
                  info.getGcName() + " (" + info.getGcCause() + ")"));
        }
      };

  GcPauses() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
  }

  /**
   * Collections that started at or after {@code fromMs}: count, total and longest, and each longer
   * than 50 ms with the second (from {@code fromMs}) it started in.
   */
  String summary(long fromMs) {
    long count = 0;
    long total = 0;
    long max = 0;
    StringBuilder longer = new StringBuilder();
    synchronized (pauses) {
      for (Pause p : pauses) {
        if (p.startMs() < fromMs) {
          continue;
        }
        count++;
        total += p.durationMs();
        max = Math.max(max, p.durationMs());
        if (p.durationMs() > 50) {
          longer.append(
              String.format(
                  " [second %d: %d ms %s]",
                  (p.startMs() - fromMs) / 1000, p.durationMs(), p.name()));
        }
      }
    }
    return String.format(
        "GC in the measured window: %d collections, %d ms in all, longest %d ms;"
            + " longer than 50 ms:%s",
        count, total, max, longer.length() == 0 ? " none" : longer);
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // never added: nothing to remove
      }
    }
    emitters.clear();
  }
}
