package io.github.dssesink.connector.partitioner;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/**
 * Writes records under paths named by their time, floored to {@code partition.duration.ms} in the
 * configured time zone and formatted with {@code path.format}, for example
 * {@code year=2024/month=05/day=01/hour=13}.
 */
public class TimeBasedPartitioner implements Partitioner {

    private DateTimeFormatter formatter;
    private long durationMs;
    private ZoneId zone;
    private TimestampExtractor extractor;

    @Override
    public void configure(DsseS3SinkConfig config) {
        configure(config, config.getString(DsseS3SinkConfig.PATH_FORMAT), config.getLong(DsseS3SinkConfig.PARTITION_DURATION_MS));
    }

    protected final void configure(DsseS3SinkConfig config, String pathFormat, long durationMs) {
        this.zone = config.timezone();
        this.formatter = formatter(pathFormat, Locale.forLanguageTag(config.getString(DsseS3SinkConfig.LOCALE)), zone);
        this.durationMs = durationMs;
        this.extractor = TimestampExtractors.create(config.getString(DsseS3SinkConfig.TIMESTAMP_EXTRACTOR),
                config.getString(DsseS3SinkConfig.TIMESTAMP_FIELD));
    }

    @Override
    public String encodePartition(SinkRecord record, long nowMs) {
        return encodeTimestamp(extractor.extract(record, nowMs));
    }

    /** Formats the start of the time partition that contains {@code timestampMs}. */
    public String encodeTimestamp(long timestampMs) {
        return formatter.format(floor(timestampMs));
    }

    /**
     * Floors a time to the partition duration, counted in local time from midnight of 1970-01-01
     * in the zone. The floor is a local date-time, so that a daily partition on a day when daylight
     * saving time starts or ends still begins at local midnight.
     */
    private ZonedDateTime floor(long timestampMs) {
        long offsetMs = zone.getRules().getOffset(Instant.ofEpochMilli(timestampMs)).getTotalSeconds() * 1000L;
        long flooredLocalMs = Math.floorDiv(timestampMs + offsetMs, durationMs) * durationMs;
        LocalDateTime local = LocalDateTime.ofEpochSecond(Math.floorDiv(flooredLocalMs, 1000L),
                (int) Math.floorMod(flooredLocalMs, 1000L) * 1_000_000, ZoneOffset.UTC);
        return local.atZone(zone);
    }

    /**
     * Builds a formatter from a Joda-style pattern, as the Confluent S3 sink's {@code path.format}
     * uses: Joda's {@code Y} is the year of era, which is {@code y} in java.time, where {@code Y}
     * would be the week-based year and give wrong paths around New Year.
     *
     * @throws IllegalArgumentException if the pattern is invalid
     */
    public static DateTimeFormatter formatter(String jodaPattern, Locale locale, ZoneId zone) {
        StringBuilder pattern = new StringBuilder(jodaPattern.length());
        boolean quoted = false;
        for (char c : jodaPattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            pattern.append(!quoted && c == 'Y' ? 'y' : c);
        }
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern.toString(), locale).withZone(zone);
        formatter.format(Instant.EPOCH);
        return formatter;
    }
}
