package io.github.dssesink.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A fixed pool of JSON flight records, 169-179 bytes each in UTF-8, generated from a seed so that
 * every run writes the same bytes. The harness cycles through the pool.
 */
final class FlightRecords {

    private static final String[] AIRPORTS = {"SEA", "JFK", "SFO", "ORD", "ATL", "DFW", "DEN", "LAX", "BOS", "MIA", "PHX", "IAH"};
    private static final String[] AIRCRAFT = {"A320", "A321neo", "B737-800", "B737 MAX 8", "E175", "B787-9"};

    private final byte[][] values;
    private final long totalBytes;

    FlightRecords(int count, long seed) {
        Random random = new Random(seed);
        values = new byte[count][];
        long total = 0;
        for (int i = 0; i < count; i++) {
            values[i] = flight(random, i).getBytes(StandardCharsets.UTF_8);
            total += values[i].length;
        }
        totalBytes = total;
    }

    /** Returns the value of the record at a position in the endless cycle through the pool. */
    byte[] value(long position) {
        return values[(int) (position % values.length)];
    }

    double meanBytes() {
        return (double) totalBytes / values.length;
    }

    private static String flight(Random random, int index) {
        String origin = AIRPORTS[random.nextInt(AIRPORTS.length)];
        String destination = AIRPORTS[(indexOf(origin) + 1 + random.nextInt(AIRPORTS.length - 1)) % AIRPORTS.length];
        return String.format("{\"flight\":\"DS%04d\",\"origin\":\"%s\",\"destination\":\"%s\","
                        + "\"departure\":\"2026-12-%02dT%02d:%02d:00Z\",\"delay_min\":%d,\"distance_mi\":%d,"
                        + "\"aircraft\":\"%s\",\"seats\":%d,\"load_factor\":%.2f}",
                index % 10_000, origin, destination, 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60),
                random.nextInt(240) - 15, 150 + random.nextInt(2_400), AIRCRAFT[random.nextInt(AIRCRAFT.length)],
                70 + random.nextInt(260), 0.4 + 0.6 * random.nextDouble());
    }

    private static int indexOf(String airport) {
        for (int i = 0; i < AIRPORTS.length; i++) {
            if (AIRPORTS[i].equals(airport)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unknown airport " + airport);
    }
}
