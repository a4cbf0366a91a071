package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class PublisherTest {

  private static ProducerRecord<String, byte[]> record(String key) {
    return new ProducerRecord<>("model-params", key, new byte[] {1});
  }

  private static MockProducer<String, byte[]> producer() {
    MockProducer<String, byte[]> p =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    p.initTransactions();
    return p;
  }

  @Test
  void shouldCommitEachPublicationInItsOwnTransactionWithItsOffsetsInOrder() {
    MockProducer<String, byte[]> producer = producer();
    TopicPartition tp = new TopicPartition("training-instances", 0);
    AtomicInteger committed = new AtomicInteger();
    try (Publisher publisher = new Publisher(producer)) {
      publisher.submit(
          new Publisher.Publication(
              List.of(record("a"), record("b")),
              Map.of(tp, new OffsetAndMetadata(10)),
              new ConsumerGroupMetadata("trainer"),
              ns -> committed.incrementAndGet()));
      publisher.submit(
          new Publisher.Publication(
              List.of(record("c")),
              Map.of(tp, new OffsetAndMetadata(20)),
              new ConsumerGroupMetadata("trainer"),
              ns -> committed.incrementAndGet()));
      publisher.await();
    }

    assertThat(committed).hasValue(2);
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("a", "b", "c");
    assertThat(producer.consumerGroupOffsetsHistory())
        .containsExactly(
            Map.of("trainer", Map.of(tp, new OffsetAndMetadata(10))),
            Map.of("trainer", Map.of(tp, new OffsetAndMetadata(20))));
    assertThat(producer.transactionCommitted()).isTrue();
  }

  @Test
  void shouldKeepTheNextPublicationUntilTheOneInFlightCommitted() throws Exception {
    MockProducer<String, byte[]> producer = producer();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstCommitted = new CountDownLatch(1);
    try (Publisher publisher = new Publisher(producer)) {
      publisher.submit(
          new Publisher.Publication(
              List.of(record("a")),
              Map.of(),
              null,
              ns -> {
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                firstCommitted.countDown();
              }));
      assertThat(publisher.busy()).isTrue();
      Thread second =
          new Thread(
              () ->
                  publisher.submit(
                      new Publisher.Publication(List.of(record("b")), Map.of(), null, ns -> {})));
      second.start();
      second.join(300);
      assertThat(second.isAlive()).as("the second hand-over waits for the first commit").isTrue();
      assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("a");
      release.countDown();
      second.join(10_000);
      publisher.await();
      assertThat(firstCommitted.getCount()).isZero();
    }
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("a", "b");
  }

  @Test
  void shouldThrowAFailedCommitOnTheCallersThreadAsTheKafkaException() throws Exception {
    MockProducer<String, byte[]> producer = producer();
    producer.fenceProducer();
    try (Publisher publisher = new Publisher(producer)) {
      publisher.submit(new Publisher.Publication(List.of(record("a")), Map.of(), null, ns -> {}));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (publisher.busy() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      assertThatThrownBy(publisher::rethrowIfFailed).isInstanceOf(ProducerFencedException.class);
      publisher.rethrowIfFailed(); // thrown once
    }
  }

  @Test
  void shouldMakeTheRecordsOffTheCallersThreadAndSendNothingIfThatFails() {
    MockProducer<String, byte[]> producer = producer();
    AtomicReference<Thread> madeOn = new AtomicReference<>();
    try (Publisher publisher = new Publisher(producer)) {
      publisher.submit(
          new Publisher.Publication(
              () -> {
                madeOn.set(Thread.currentThread());
                return List.of(record("a"));
              },
              Map.of(),
              null,
              ns -> {}));
      publisher.await();
      assertThat(madeOn.get()).isNotNull().isNotSameAs(Thread.currentThread());

      publisher.submit(
          new Publisher.Publication(
              () -> {
                throw new SerializationException("registry down");
              },
              Map.of(),
              null,
              ns -> {}));
      assertThatThrownBy(publisher::await)
          .isInstanceOf(SerializationException.class)
          .hasMessage("registry down");
    }
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("a");
    assertThat(producer.transactionInFlight()).as("no transaction begun for it").isFalse();
  }
}
