package io.github.dssesink.connector.config;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import io.github.dssesink.connector.format.CompressionType;
import io.github.dssesink.connector.format.RecordFormats;
import io.github.dssesink.connector.partitioner.Partitioners;
import io.github.dssesink.connector.partitioner.TimestampExtractors;
import io.github.dssesink.connector.partitioner.TimeBasedPartitioner;

/**
 * The connector's configuration: one {@link ConfigDef} with a constant per key. Keys shared with
 * the most used S3 sink keep its names and meanings, so a user migrates by changing
 * {@code connector.class} and adding the {@code dsse.*} encryption settings.
 */
public final class DsseS3SinkConfig extends AbstractConfig {

    public static final int MIN_PART_SIZE_IN_BYTES = 5 * 1024 * 1024;

    private static final String GROUP_S3 = "S3";
    private static final String GROUP_SSE = "Server-side encryption";
    private static final String GROUP_CSE = "Client-side encryption";
    private static final String GROUP_STORAGE = "Storage";
    private static final String GROUP_PARTITIONER = "Partitioner";

    public static final String S3_BUCKET_NAME = "s3.bucket.name";
    public static final String S3_REGION = "s3.region";
    public static final String STORE_URL = "store.url";
    public static final String S3_PATH_STYLE_ACCESS_ENABLED = "s3.path.style.access.enabled";
    public static final String S3_PART_SIZE = "s3.part.size";
    public static final String S3_RETRY_MAX_ATTEMPTS = "s3.retry.max.attempts";
    public static final String S3_API_CALL_TIMEOUT_MS = "s3.api.call.timeout.ms";
    public static final String AWS_ACCESS_KEY_ID = "aws.access.key.id";
    public static final String AWS_SECRET_ACCESS_KEY = "aws.secret.access.key";

    public static final String S3_SSEA_NAME = "s3.ssea.name";
    public static final String S3_SSE_KMS_KEY_ID = "s3.sse.kms.key.id";
    public static final String S3_SSE_CUSTOMER_KEY = "s3.sse.customer.key";
    public static final String S3_BUCKET_KEY_ENABLED = "s3.bucket.key.enabled";

    public static final String CLIENT_ENCRYPTION_ENABLED = "dsse.client.encryption.enabled";
    public static final String KEY_PROVIDER = "dsse.key.provider";
    public static final String LOCAL_KEYRING_PATH = "dsse.local.keyring.path";
    public static final String LAYER1_KMS_KEY_ID = "dsse.layer1.kms.key.id";
    public static final String LAYER2_KMS_KEY_ID = "dsse.layer2.kms.key.id";
    public static final String TOPIC_KEY_OVERRIDES = "dsse.topic.key.overrides";
    public static final String FRAME_SIZE_BYTES = "dsse.frame.size.bytes";
    public static final String DATA_KEY_MAX_OBJECTS = "dsse.data.key.max.objects";
    public static final String DATA_KEY_MAX_BYTES = "dsse.data.key.max.bytes";
    public static final String DATA_KEY_MAX_AGE_MS = "dsse.data.key.max.age.ms";
    public static final String KMS_REGION = "dsse.kms.region";
    public static final String KMS_ENDPOINT = "dsse.kms.endpoint";
    public static final String LAYER1_JCA_PROVIDER = "dsse.layer1.jca.provider";
    public static final String PREFLIGHT_ENABLED = "dsse.preflight.enabled";

    public static final String TOPICS_DIR = "topics.dir";
    public static final String FLUSH_SIZE = "flush.size";
    public static final String FLUSH_SIZE_BYTES = "flush.size.bytes";
    public static final String ROTATE_INTERVAL_MS = "rotate.interval.ms";
    public static final String ROTATE_SCHEDULE_INTERVAL_MS = "rotate.schedule.interval.ms";
    public static final String FORMAT_CLASS = "format.class";
    public static final String FORMAT_BYTEARRAY_SEPARATOR = "format.bytearray.separator";
    public static final String S3_COMPRESSION_TYPE = "s3.compression.type";
    public static final String BEHAVIOR_ON_NULL_VALUES = "behavior.on.null.values";

    public static final String PARTITIONER_CLASS = "partitioner.class";
    public static final String PARTITION_FIELD_NAME = "partition.field.name";
    public static final String PATH_FORMAT = "path.format";
    public static final String PARTITION_DURATION_MS = "partition.duration.ms";
    public static final String TIMESTAMP_EXTRACTOR = "timestamp.extractor";
    public static final String TIMESTAMP_FIELD = "timestamp.field";
    public static final String LOCALE = "locale";
    public static final String TIMEZONE = "timezone";

    /** The action for a record whose value is null (a tombstone). */
    public enum NullValueBehavior {
        IGNORE, FAIL, WRITE;

        public static NullValueBehavior parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    public static final ConfigDef CONFIG_DEF = configDef();

    public DsseS3SinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        List<String> errors = new ArrayList<>();
        crossCheck(this, (key, message) -> errors.add(message));
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join("; ", errors));
        }
    }

    /** Receives one error for one key. */
    @FunctionalInterface
    public interface ErrorSink {
        void error(String key, String message);
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(S3_BUCKET_NAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                "The S3 bucket that receives the objects.", GROUP_S3, ++order, Width.LONG, "Bucket");
        def.define(S3_REGION, Type.STRING, "us-east-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "The AWS region of the bucket.", GROUP_S3, ++order, Width.SHORT, "Region");
        def.define(STORE_URL, Type.STRING, null, Importance.LOW,
                "An endpoint URL that replaces the regional S3 endpoint, for S3-compatible stores and VPC endpoints; empty uses the AWS endpoint.",
                GROUP_S3, ++order, Width.LONG, "Store URL");
        def.define(S3_PATH_STYLE_ACCESS_ENABLED, Type.BOOLEAN, false, Importance.LOW,
                "Whether requests put the bucket in the path (https://host/bucket/key) instead of the host name.",
                GROUP_S3, ++order, Width.SHORT, "Path-style access");
        def.define(S3_PART_SIZE, Type.INT, 25 * 1024 * 1024, ConfigDef.Range.atLeast(MIN_PART_SIZE_IN_BYTES), Importance.MEDIUM,
                "The size in bytes of each multipart upload part, and so the memory each open object holds; S3 requires at least 5 MiB (5242880).",
                GROUP_S3, ++order, Width.SHORT, "Part size");
        def.define(S3_RETRY_MAX_ATTEMPTS, Type.INT, 10, ConfigDef.Range.between(1, 100), Importance.LOW,
                "The maximum attempts per S3 request, first try included; the SDK retries throttling, 5xx and network errors with exponential backoff.",
                GROUP_S3, ++order, Width.SHORT, "Max attempts");
        def.define(S3_API_CALL_TIMEOUT_MS, Type.LONG, 120_000L, ConfigDef.Range.atLeast(1000), Importance.LOW,
                "The time limit in milliseconds for one S3 or KMS call, retries included.",
                GROUP_S3, ++order, Width.SHORT, "API call timeout");
        def.define(AWS_ACCESS_KEY_ID, Type.STRING, null, Importance.MEDIUM,
                "A static AWS access key ID; empty uses the AWS SDK default credential chain (environment, profile, web identity, instance role).",
                GROUP_S3, ++order, Width.MEDIUM, "Access key ID");
        def.define(AWS_SECRET_ACCESS_KEY, Type.PASSWORD, null, Importance.MEDIUM,
                "The secret access key that goes with aws.access.key.id.",
                GROUP_S3, ++order, Width.MEDIUM, "Secret access key");

        order = 0;
        def.define(S3_SSEA_NAME, Type.STRING, ServerSideEncryption.Mode.DSSE_KMS.headerValue(),
                ConfigDef.CaseInsensitiveValidString.in("aws:kms:dsse", "aws:kms", "AES256", ""), Importance.HIGH,
                "The server-side encryption algorithm sent on every upload: aws:kms:dsse (dual-layer DSSE-KMS), aws:kms, AES256, or empty for none.",
                GROUP_SSE, ++order, Width.SHORT, "SSE algorithm");
        def.define(S3_SSE_KMS_KEY_ID, Type.STRING, "", Importance.HIGH,
                "The KMS key (ID, ARN or alias) for aws:kms:dsse and aws:kms; empty makes S3 use the AWS managed key aws/s3.",
                GROUP_SSE, ++order, Width.LONG, "SSE KMS key ID");
        def.define(S3_SSE_CUSTOMER_KEY, Type.PASSWORD, null, Importance.LOW,
                "A base64 AES-256 key for SSE-C, sent with every upload request and part; set s3.ssea.name empty when using it.",
                GROUP_SSE, ++order, Width.LONG, "SSE-C key");
        def.define(S3_BUCKET_KEY_ENABLED, Type.BOOLEAN, false, Importance.LOW,
                "Whether aws:kms uploads use an S3 Bucket Key; S3 does not support bucket keys with aws:kms:dsse.",
                GROUP_SSE, ++order, Width.SHORT, "Bucket key");

        order = 0;
        def.define(CLIENT_ENCRYPTION_ENABLED, Type.BOOLEAN, true, Importance.HIGH,
                "Whether each object is encrypted in the connector with two AES-256-GCM layers before upload.",
                GROUP_CSE, ++order, Width.SHORT, "Client-side encryption");
        def.define(KEY_PROVIDER, Type.STRING, "aws-kms", ConfigDef.CaseInsensitiveValidString.in("aws-kms", "local"), Importance.HIGH,
                "Where the data keys come from: aws-kms (AWS KMS GenerateDataKey) or local (a keyring file, for development only).",
                GROUP_CSE, ++order, Width.SHORT, "Key provider");
        def.define(LOCAL_KEYRING_PATH, Type.STRING, "", Importance.LOW,
                "The keyring JSON file for dsse.key.provider=local, in the form {\"keys\":{\"name\":\"base64 of 32 bytes\"}}.",
                GROUP_CSE, ++order, Width.LONG, "Local keyring");
        def.define(LAYER1_KMS_KEY_ID, Type.STRING, "", Importance.HIGH,
                "The KMS key (ID, ARN or alias) that wraps the layer 1 data key of each object.",
                GROUP_CSE, ++order, Width.LONG, "Layer 1 key ID");
        def.define(LAYER2_KMS_KEY_ID, Type.STRING, "", Importance.HIGH,
                "The KMS key that wraps the layer 2 data key; a key other than layer 1's is the stronger setting.",
                GROUP_CSE, ++order, Width.LONG, "Layer 2 key ID");
        def.define(TOPIC_KEY_OVERRIDES, Type.LIST, "", Importance.MEDIUM,
                "Per-topic layer keys as a list of topic:layer1KeyId:layer2KeyId entries; other topics use the layer key IDs above.",
                GROUP_CSE, ++order, Width.LONG, "Per-topic keys");
        def.define(FRAME_SIZE_BYTES, Type.INT, 256 * 1024, ConfigDef.Range.between(1024, 16 * 1024 * 1024), Importance.LOW,
                "The plaintext bytes per authenticated frame of the encrypted object format.",
                GROUP_CSE, ++order, Width.SHORT, "Frame size");
        def.define(DATA_KEY_MAX_OBJECTS, Type.LONG, 1L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "The maximum objects that share one data key pair; 1 requests fresh data keys for every object.",
                GROUP_CSE, ++order, Width.SHORT, "Data key max objects");
        def.define(DATA_KEY_MAX_BYTES, Type.LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(1), Importance.LOW,
                "The maximum plaintext bytes encrypted under one data key pair when data keys are reused.",
                GROUP_CSE, ++order, Width.SHORT, "Data key max bytes");
        def.define(DATA_KEY_MAX_AGE_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "The maximum age in milliseconds of a reused data key pair.",
                GROUP_CSE, ++order, Width.SHORT, "Data key max age");
        def.define(KMS_REGION, Type.STRING, "", Importance.LOW,
                "The AWS region of the KMS keys; empty uses s3.region.",
                GROUP_CSE, ++order, Width.SHORT, "KMS region");
        def.define(KMS_ENDPOINT, Type.STRING, "", Importance.LOW,
                "An endpoint URL that replaces the regional KMS endpoint, for VPC endpoints and local KMS servers; empty uses the AWS endpoint.",
                GROUP_CSE, ++order, Width.LONG, "KMS endpoint");
        def.define(LAYER1_JCA_PROVIDER, Type.STRING, "", Importance.LOW,
                "The JCA provider name for layer 1 AES-GCM, for example SunJCE; empty uses the JDK's default provider.",
                GROUP_CSE, ++order, Width.SHORT, "Layer 1 JCA provider");
        def.define(PREFLIGHT_ENABLED, Type.BOOLEAN, true, Importance.LOW,
                "Whether validation and task start check that the bucket answers HeadBucket and that every configured KMS key exists, is enabled and is a symmetric encryption key.",
                GROUP_CSE, ++order, Width.SHORT, "Preflight checks");

        order = 0;
        def.define(TOPICS_DIR, Type.STRING, "topics", Importance.MEDIUM,
                "The key prefix under which each topic's objects are written.",
                GROUP_STORAGE, ++order, Width.MEDIUM, "Topics directory");
        def.define(FLUSH_SIZE, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.HIGH,
                "The number of records after which an object is completed.",
                GROUP_STORAGE, ++order, Width.SHORT, "Flush size");
        def.define(FLUSH_SIZE_BYTES, Type.LONG, -1L, Importance.MEDIUM,
                "The number of uncompressed record bytes after which an object is completed; -1 disables rotation by size.",
                GROUP_STORAGE, ++order, Width.SHORT, "Flush size in bytes");
        def.define(ROTATE_INTERVAL_MS, Type.LONG, -1L, Importance.MEDIUM,
                "The record-time span in milliseconds after which an object is completed, measured with timestamp.extractor; -1 disables it.",
                GROUP_STORAGE, ++order, Width.SHORT, "Rotate interval");
        def.define(ROTATE_SCHEDULE_INTERVAL_MS, Type.LONG, -1L, Importance.MEDIUM,
                "The wall-clock period in milliseconds, aligned to the timezone, at whose boundaries open objects are completed even without new records; -1 disables it.",
                GROUP_STORAGE, ++order, Width.SHORT, "Rotate schedule interval");
        def.define(FORMAT_CLASS, Type.STRING, RecordFormats.JSON, new RecordFormats.Validator(), Importance.HIGH,
                "The object format: a class implementing RecordFormat, or json, avro, bytearray, or the Confluent S3 sink's format class names.",
                GROUP_STORAGE, ++order, Width.LONG, "Format");
        def.define(FORMAT_BYTEARRAY_SEPARATOR, Type.STRING, "\\n", Importance.LOW,
                "The bytes written after each record by the bytearray format, in UTF-8 with the escapes \\n, \\r, \\t and \\\\ decoded; Kafka trims the value, so write a newline as \\n.",
                GROUP_STORAGE, ++order, Width.SHORT, "Byte array separator");
        def.define(S3_COMPRESSION_TYPE, Type.STRING, "none", ConfigDef.CaseInsensitiveValidString.in("none", "gzip", "zstd"), Importance.LOW,
                "The compression of the object's plaintext before encryption: none, gzip or zstd; Avro objects are not compressed this way.",
                GROUP_STORAGE, ++order, Width.SHORT, "Compression");
        def.define(BEHAVIOR_ON_NULL_VALUES, Type.STRING, "fail", ConfigDef.CaseInsensitiveValidString.in("ignore", "fail", "write"), Importance.MEDIUM,
                "What to do with records whose value is null (tombstones): ignore skips them, fail stops the task, write writes them as the format's null.",
                GROUP_STORAGE, ++order, Width.SHORT, "Null values");

        order = 0;
        def.define(PARTITIONER_CLASS, Type.STRING, Partitioners.DEFAULT, new Partitioners.Validator(), Importance.HIGH,
                "The partitioner that maps a record to an output path: a class implementing Partitioner, or default, field, time, hourly, daily, or the Confluent partitioner class names.",
                GROUP_PARTITIONER, ++order, Width.LONG, "Partitioner");
        def.define(PARTITION_FIELD_NAME, Type.LIST, "", Importance.MEDIUM,
                "The record value fields whose values name the path for the field partitioner.",
                GROUP_PARTITIONER, ++order, Width.LONG, "Partition fields");
        def.define(PATH_FORMAT, Type.STRING, "", Importance.MEDIUM,
                "The Joda-style date pattern of the time partitioner's path, for example 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH.",
                GROUP_PARTITIONER, ++order, Width.LONG, "Path format");
        def.define(PARTITION_DURATION_MS, Type.LONG, -1L, Importance.MEDIUM,
                "The time span in milliseconds of each time partition; the hourly and daily partitioners set it themselves.",
                GROUP_PARTITIONER, ++order, Width.SHORT, "Partition duration");
        def.define(TIMESTAMP_EXTRACTOR, Type.STRING, TimestampExtractors.WALLCLOCK, ConfigDef.CaseInsensitiveValidString.in(
                        TimestampExtractors.RECORD, TimestampExtractors.RECORD_FIELD, TimestampExtractors.WALLCLOCK), Importance.MEDIUM,
                "Where the record time for time partitions and rotate.interval.ms comes from: Record (the Kafka timestamp), RecordField (timestamp.field) or Wallclock.",
                GROUP_PARTITIONER, ++order, Width.SHORT, "Timestamp extractor");
        def.define(TIMESTAMP_FIELD, Type.STRING, "timestamp", Importance.LOW,
                "The record value field that holds the time for the RecordField extractor: epoch milliseconds, a Connect Timestamp or an ISO-8601 string.",
                GROUP_PARTITIONER, ++order, Width.MEDIUM, "Timestamp field");
        def.define(LOCALE, Type.STRING, "en-US", Importance.LOW,
                "The locale (IETF language tag) for the path format.",
                GROUP_PARTITIONER, ++order, Width.SHORT, "Locale");
        def.define(TIMEZONE, Type.STRING, "UTC", Importance.MEDIUM,
                "The time zone ID for the path format and for aligning rotate.schedule.interval.ms.",
                GROUP_PARTITIONER, ++order, Width.SHORT, "Timezone");
        return def;
    }

    /**
     * Checks the rules that join several keys, reporting each error once with the key it belongs to.
     * Single-key rules are the validators in {@link #CONFIG_DEF}.
     */
    public static void crossCheck(AbstractConfig config, ErrorSink errors) {
        ServerSideEncryption.Mode mode = ServerSideEncryption.Mode.parse(config.getString(S3_SSEA_NAME));
        String kmsKeyId = config.getString(S3_SSE_KMS_KEY_ID);
        Password customerKey = config.getPassword(S3_SSE_CUSTOMER_KEY);
        boolean hasCustomerKey = customerKey != null && !customerKey.value().isBlank();

        if (config.getBoolean(S3_BUCKET_KEY_ENABLED) && mode == ServerSideEncryption.Mode.DSSE_KMS) {
            errors.error(S3_BUCKET_KEY_ENABLED, "Invalid value true for " + S3_BUCKET_KEY_ENABLED
                    + ": S3 does not support bucket keys with aws:kms:dsse; set it to false");
        }
        if (hasCustomerKey && mode != ServerSideEncryption.Mode.NONE) {
            errors.error(S3_SSE_CUSTOMER_KEY, "Invalid combination: " + S3_SSE_CUSTOMER_KEY + " (SSE-C) is set while "
                    + S3_SSEA_NAME + " is '" + mode.headerValue() + "'; S3 accepts one server-side encryption per object, so set "
                    + S3_SSEA_NAME + " empty for SSE-C or remove the customer key");
        }
        if (hasCustomerKey) {
            try {
                ServerSideEncryption.decodeCustomerKey(customerKey.value());
            } catch (IllegalArgumentException e) {
                errors.error(S3_SSE_CUSTOMER_KEY, "Invalid value [hidden] for " + S3_SSE_CUSTOMER_KEY + ": " + e.getMessage());
            }
        }
        if (kmsKeyId != null && !kmsKeyId.isBlank() && !mode.usesKms()) {
            errors.error(S3_SSE_KMS_KEY_ID, "Invalid combination: " + S3_SSE_KMS_KEY_ID + " is '" + kmsKeyId + "' but "
                    + S3_SSEA_NAME + " is '" + mode.headerValue() + "'; set " + S3_SSEA_NAME
                    + " to aws:kms:dsse or aws:kms, or remove the key ID");
        }

        if (config.getBoolean(CLIENT_ENCRYPTION_ENABLED)) {
            checkClientEncryption(config, errors);
        }

        String partitioner = config.getString(PARTITIONER_CLASS);
        if (Partitioners.isTimeBased(partitioner)) {
            checkTimePartitioner(config, partitioner, errors);
        }
        if (Partitioners.isFieldBased(partitioner) && config.getList(PARTITION_FIELD_NAME).isEmpty()) {
            errors.error(PARTITION_FIELD_NAME, "Missing value for " + PARTITION_FIELD_NAME
                    + ": the field partitioner needs at least one field name");
        }
        checkZones(config, errors);
        if (!config.getString(S3_COMPRESSION_TYPE).equalsIgnoreCase("none")
                && !RecordFormats.supportsCompression(config.getString(FORMAT_CLASS))) {
            errors.error(S3_COMPRESSION_TYPE, "Invalid value " + config.getString(S3_COMPRESSION_TYPE) + " for " + S3_COMPRESSION_TYPE
                    + ": the format " + config.getString(FORMAT_CLASS) + " is a container that compresses inside; set it to none");
        }
        if (config.getString(TIMESTAMP_EXTRACTOR).equalsIgnoreCase(TimestampExtractors.RECORD_FIELD)
                && config.getString(TIMESTAMP_FIELD).isBlank()) {
            errors.error(TIMESTAMP_FIELD, "Missing value for " + TIMESTAMP_FIELD + ": the RecordField extractor needs a field name");
        }
    }

    private static void checkClientEncryption(AbstractConfig config, ErrorSink errors) {
        for (String key : List.of(LAYER1_KMS_KEY_ID, LAYER2_KMS_KEY_ID)) {
            if (config.getString(key).isBlank()) {
                errors.error(key, "Missing value for " + key + ": client-side encryption (" + CLIENT_ENCRYPTION_ENABLED
                        + "=true) needs a KMS key ID for each layer; set it or set " + CLIENT_ENCRYPTION_ENABLED + "=false");
            }
        }
        if (config.getString(KEY_PROVIDER).equalsIgnoreCase("local") && config.getString(LOCAL_KEYRING_PATH).isBlank()) {
            errors.error(LOCAL_KEYRING_PATH, "Missing value for " + LOCAL_KEYRING_PATH + ": " + KEY_PROVIDER + "=local needs a keyring file");
        }
        try {
            parseTopicKeyOverrides(config.getList(TOPIC_KEY_OVERRIDES));
        } catch (ConfigException e) {
            errors.error(TOPIC_KEY_OVERRIDES, e.getMessage());
        }
    }

    private static void checkTimePartitioner(AbstractConfig config, String partitioner, ErrorSink errors) {
        boolean preset = Partitioners.isPreset(partitioner);
        String pathFormat = config.getString(PATH_FORMAT);
        if (!preset && pathFormat.isBlank()) {
            errors.error(PATH_FORMAT, "Missing value for " + PATH_FORMAT + ": the time partitioner needs a pattern such as 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH");
        } else if (!preset) {
            try {
                TimeBasedPartitioner.formatter(pathFormat, Locale.forLanguageTag(config.getString(LOCALE)), ZoneId.of("UTC"));
            } catch (IllegalArgumentException e) {
                errors.error(PATH_FORMAT, "Invalid value " + pathFormat + " for " + PATH_FORMAT + ": " + e.getMessage()
                        + "; use a Joda-style pattern such as 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH");
            }
        }
        if (!preset && config.getLong(PARTITION_DURATION_MS) <= 0) {
            errors.error(PARTITION_DURATION_MS, "Invalid value " + config.getLong(PARTITION_DURATION_MS) + " for "
                    + PARTITION_DURATION_MS + ": the time partitioner needs a positive duration, for example 3600000 for hourly paths");
        }
    }

    private static void checkZones(AbstractConfig config, ErrorSink errors) {
        try {
            ZoneId.of(config.getString(TIMEZONE));
        } catch (RuntimeException e) {
            errors.error(TIMEZONE, "Invalid value " + config.getString(TIMEZONE) + " for " + TIMEZONE
                    + ": not a time zone ID; use one such as UTC or Europe/Berlin");
        }
    }

    /** The layer key IDs of one topic. */
    public record LayerKeys(String layer1KeyId, String layer2KeyId) {
    }

    /**
     * Parses {@code topic:layer1KeyId:layer2KeyId} entries. A key may be an ARN, which contains
     * colons itself: a part that starts with {@code arn} takes the ARN's six colon-separated fields.
     *
     * @throws ConfigException if an entry does not name a topic and exactly two keys
     */
    public static Map<String, LayerKeys> parseTopicKeyOverrides(List<String> entries) {
        Map<String, LayerKeys> overrides = new LinkedHashMap<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int topicEnd = trimmed.indexOf(':');
            if (topicEnd <= 0) {
                throw invalidOverride(trimmed);
            }
            String[] keys = splitKeys(trimmed.substring(topicEnd + 1));
            if (keys == null) {
                throw invalidOverride(trimmed);
            }
            overrides.put(trimmed.substring(0, topicEnd), new LayerKeys(keys[0], keys[1]));
        }
        return overrides;
    }

    /** Splits "k1:k2" where each key is a plain ID, an alias name, or an ARN (arn:partition:kms:region:account:resource). */
    private static String[] splitKeys(String keys) {
        List<String> parts = new ArrayList<>(List.of(keys.split(":", -1)));
        List<String> result = new ArrayList<>();
        while (!parts.isEmpty()) {
            int take = parts.get(0).equals("arn") ? 6 : 1;
            if (parts.size() < take) {
                return null;
            }
            String key = String.join(":", parts.subList(0, take));
            if (key.isBlank()) {
                return null;
            }
            result.add(key);
            parts.subList(0, take).clear();
        }
        return result.size() == 2 ? result.toArray(new String[0]) : null;
    }

    private static ConfigException invalidOverride(String entry) {
        return new ConfigException(TOPIC_KEY_OVERRIDES, entry,
                "expected topic:layer1KeyId:layer2KeyId, with key IDs, aliases or ARNs");
    }

    public ServerSideEncryption serverSideEncryption() {
        Password customerKey = getPassword(S3_SSE_CUSTOMER_KEY);
        return new ServerSideEncryption(ServerSideEncryption.Mode.parse(getString(S3_SSEA_NAME)),
                getString(S3_SSE_KMS_KEY_ID), getBoolean(S3_BUCKET_KEY_ENABLED),
                customerKey == null ? null : customerKey.value());
    }

    public CompressionType compressionType() {
        return CompressionType.parse(getString(S3_COMPRESSION_TYPE));
    }

    public NullValueBehavior nullValueBehavior() {
        return NullValueBehavior.parse(getString(BEHAVIOR_ON_NULL_VALUES));
    }

    public ZoneId timezone() {
        return ZoneId.of(getString(TIMEZONE));
    }

    /** Returns the layer key IDs for a topic: its override, or the connector-wide keys. */
    public LayerKeys layerKeys(String topic) {
        LayerKeys override = parseTopicKeyOverrides(getList(TOPIC_KEY_OVERRIDES)).get(topic);
        return override != null ? override : new LayerKeys(getString(LAYER1_KMS_KEY_ID), getString(LAYER2_KMS_KEY_ID));
    }

    /** Returns every distinct layer key ID in use: the connector-wide ones and the per-topic ones. */
    public List<String> allLayerKeyIds() {
        List<String> ids = new ArrayList<>();
        ids.add(getString(LAYER1_KMS_KEY_ID));
        ids.add(getString(LAYER2_KMS_KEY_ID));
        for (LayerKeys keys : parseTopicKeyOverrides(getList(TOPIC_KEY_OVERRIDES)).values()) {
            ids.add(keys.layer1KeyId());
            ids.add(keys.layer2KeyId());
        }
        return ids.stream().filter(id -> !id.isBlank()).distinct().toList();
    }
}
