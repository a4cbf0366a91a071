package dev.freshet.cli.demo;

import dev.freshet.avro.ModelUpdate;
import dev.freshet.data.ClickEvent;
import dev.freshet.model.Item;
import dev.freshet.model.UserContext;
import dev.freshet.streams.retrieval.ItemScore;
import dev.freshet.streams.serving.ServingModel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frozen copy of an earlier snapshot that scores the same users as the online model, on the side.
 *
 * <p>A {@link ServingModel} of its own follows the parameter log like the stream app's does, until
 * the freeze: at {@code freezeAtMillis} it notes the version the stream app serves (or, if there is
 * none yet, waits for the first usable snapshot), keeps reading until it has applied that version,
 * and then stops reading for good. From then on, every click the feeder sends marks its user; a
 * scoring thread collects the marked users every few milliseconds and scores them in one batched
 * forward pass with the user's last {@code historySize} clicks (leaving those items out, as the
 * stream app does), so each user always has the frozen model's newest list for the prequential
 * comparison.
 */
final class FrozenModel implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FrozenModel.class);
  private static final int MAX_BATCH = 256;

  private record Profile(String province, String city, String phone) {}

  private final ServingModel model;
  private final KafkaConsumer<String, byte[]> consumer;
  private final TopicPartition partition;
  private final Deserializer<ModelUpdate> deserializer;
  private final LongSupplier onlineVersion;
  private final long freezeAtMillis;
  private final int k;
  private final int historySize;
  private final Map<String, ArrayDeque<Item>> histories = new HashMap<>();
  private final Map<String, Profile> profiles = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Map<String, List<ItemScore>> latest = new ConcurrentHashMap<>();
  private final AtomicLong badRecords = new AtomicLong();
  private final AtomicLong scored = new AtomicLong();
  private final CountDownLatch feedStopped = new CountDownLatch(1);
  private final CountDownLatch scorerStopped = new CountDownLatch(1);
  private volatile boolean closing;
  private volatile boolean frozen;
  private volatile long frozenAtMillis = -1;
  private long target = Long.MIN_VALUE;
  private Thread feedThread;
  private Thread scorerThread;

  FrozenModel(
      String bootstrap,
      String paramsTopic,
      Deserializer<ModelUpdate> deserializer,
      int exactThreshold,
      LongSupplier onlineVersion,
      long freezeAtMillis,
      int k,
      int historySize) {
    Map<String, Object> conf = new HashMap<>();
    conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    conf.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-demo-frozen-params");
    this.consumer =
        new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer());
    this.partition = new TopicPartition(paramsTopic, 0);
    this.deserializer = deserializer;
    this.model = new ServingModel(exactThreshold);
    this.onlineVersion = onlineVersion;
    this.freezeAtMillis = freezeAtMillis;
    this.k = k;
    this.historySize = historySize;
  }

  synchronized FrozenModel start() {
    feedThread = new Thread(this::feed, "freshet-demo-frozen-feed");
    feedThread.setDaemon(true);
    feedThread.start();
    scorerThread = new Thread(this::score, "freshet-demo-frozen-scorer");
    scorerThread.setDaemon(true);
    scorerThread.start();
    return this;
  }

  /** Whether the copy is frozen (it then scores users). */
  boolean frozen() {
    return frozen;
  }

  /** The frozen version, or -1 before the freeze. */
  long version() {
    return frozen ? model.version() : -1;
  }

  /** Wall-clock ms of the freeze, or -1. */
  long frozenAtMillis() {
    return frozenAtMillis;
  }

  /** Users scored by the frozen model so far. */
  long scored() {
    return scored.get();
  }

  /** Parameter records that could not be read or applied. */
  long badRecords() {
    return badRecords.get();
  }

  /** The frozen model's newest list for the user (scored after the freeze), or null. */
  List<String> latest(String userId) {
    List<ItemScore> l = latest.get(userId);
    if (l == null) {
      return null;
    }
    List<String> ids = new ArrayList<>(l.size());
    for (ItemScore s : l) {
      ids.add(s.itemId());
    }
    return ids;
  }

  /** The frozen model's newest scored list for the user, or null. */
  List<ItemScore> latestScored(String userId) {
    return latest.get(userId);
  }

  /** Records a sent click in the user's history and, once frozen, queues the user for scoring. */
  void observe(ClickEvent c) {
    synchronized (dirty) {
      ArrayDeque<Item> h = histories.computeIfAbsent(c.userId(), u -> new ArrayDeque<>());
      h.addLast(new Item(c.videoId(), c.category(), c.tags(), c.searchTokens()));
      while (h.size() > historySize) {
        h.removeFirst();
      }
      profiles.put(c.userId(), new Profile(c.province(), c.city(), c.phone()));
      if (frozen) {
        dirty.add(c.userId());
        dirty.notifyAll();
      }
    }
  }

  private void feed() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!closing && !frozen) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          try {
            ModelUpdate value =
                r.value() == null
                    ? null
                    : deserializer.deserialize(r.topic(), r.headers(), r.value());
            model.assembler().accept(r.key(), value);
          } catch (RuntimeException e) {
            badRecords.incrementAndGet();
            log.error(
                "frozen copy: unusable parameter record at offset {}: {}",
                r.offset(),
                e.toString());
          }
          if (checkFrozen()) {
            break;
          }
        }
        checkFrozen();
      }
    } catch (WakeupException e) {
      if (!closing) {
        throw e;
      }
    } finally {
      consumer.close();
      feedStopped.countDown();
    }
  }

  /** Freezes once the freeze time has passed and the target version has been applied. */
  private boolean checkFrozen() {
    if (frozen) {
      return true;
    }
    if (System.currentTimeMillis() < freezeAtMillis) {
      return false;
    }
    if (target == Long.MIN_VALUE) {
      target = Math.max(0, onlineVersion.getAsLong());
    }
    if (model.ready() && model.version() >= target) {
      frozenAtMillis = System.currentTimeMillis();
      frozen = true;
      log.info("frozen copy taken at snapshot version {}", model.version());
      return true;
    }
    return false;
  }

  private void score() {
    try {
      while (!closing) {
        List<String> users = new ArrayList<>();
        List<UserContext> contexts = new ArrayList<>();
        List<Set<String>> exclude = new ArrayList<>();
        synchronized (dirty) {
          if (dirty.isEmpty()) {
            dirty.wait(50);
            continue;
          }
          var it = dirty.iterator();
          while (it.hasNext() && users.size() < MAX_BATCH) {
            String u = it.next();
            it.remove();
            ArrayDeque<Item> h = histories.get(u);
            Profile p = profiles.get(u);
            List<Item> items = new ArrayList<>(h);
            Set<String> seen = new HashSet<>();
            for (Item i : items) {
              seen.add(i.itemId());
            }
            users.add(u);
            contexts.add(new UserContext(u, p.province(), p.city(), p.phone(), items));
            exclude.add(seen);
          }
        }
        Optional<ServingModel.Batch> batch = model.score(contexts, exclude, k);
        if (batch.isEmpty()) {
          throw new IllegalStateException("the frozen model cannot score although it is frozen");
        }
        for (int i = 0; i < users.size(); i++) {
          latest.put(users.get(i), batch.get().users().get(i).items());
        }
        scored.addAndGet(users.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scorerStopped.countDown();
    }
  }

  @Override
  public void close() {
    closing = true;
    synchronized (this) {
      if (feedThread == null) {
        consumer.close();
        model.close();
        return;
      }
    }
    if (feedStopped.getCount() > 0) {
      consumer.wakeup();
    }
    synchronized (dirty) {
      dirty.notifyAll();
    }
    try {
      if (!feedStopped.await(10, TimeUnit.SECONDS) || !scorerStopped.await(10, TimeUnit.SECONDS)) {
        log.warn("frozen model threads did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    model.close();
  }
}
