package io.github.dssesink.kafkalocal;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A sink that discards records and has one required setting, so a test can drive a worker's REST
 * API without this project's connector. Loaded through META-INF/services.
 */
public final class RequiredSettingSinkConnector extends SinkConnector {

    static final String REQUIRED_SETTING = "test.required";
    private static final ConfigDef CONFIG = new ConfigDef()
            .define(REQUIRED_SETTING, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "A setting without a default.");

    private Map<String, String> props;

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DiscardingTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    /** Accepts every record, so the worker commits every offset that it delivered. */
    public static final class DiscardingTask extends SinkTask {
        @Override
        public String version() {
            return "1";
        }

        @Override
        public void start(Map<String, String> props) {
        }

        @Override
        public void put(Collection<SinkRecord> records) {
        }

        @Override
        public void stop() {
        }
    }
}
