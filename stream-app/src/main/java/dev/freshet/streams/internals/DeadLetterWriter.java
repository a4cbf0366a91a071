package dev.freshet.streams.internals;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters as they came in (original key and value bytes) with the reason and source
 * coordinates in headers, and counts them per reason in the Streams metric group {@code
 * stream-freshet-metrics} (entity {@code dlq}, one rate/total pair per reason).
 */
public final class DeadLetterWriter implements Processor<String, DeadLetter, byte[], byte[]> {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

  private final Map<DeadLetterReason, Sensor> sensors = new EnumMap<>(DeadLetterReason.class);
  private ProcessorContext<byte[], byte[]> context;

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      sensors.put(
          reason,
          context
              .metrics()
              .addRateTotalSensor(
                  "freshet",
                  "dlq",
                  reason.name().toLowerCase(java.util.Locale.ROOT),
                  Sensor.RecordingLevel.INFO));
    }
  }

  @Override
  public void process(Record<String, DeadLetter> record) {
    DeadLetter dl = record.value();
    sensors.get(dl.reason()).record();
    log.debug(
        "dead letter {} from {}-{}@{}: {}",
        dl.reason(),
        dl.sourceTopic(),
        dl.sourcePartition(),
        dl.sourceOffset(),
        dl.detail());
    context.forward(
        new Record<>(dl.key(), dl.value(), record.timestamp(), dl.headers(record.headers())));
  }
}
