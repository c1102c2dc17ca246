package io.github.dssesink.connector.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/**
 * Avro object container files, one schema per object: the writer takes the Avro schema from the
 * first record's Connect value schema, and a record with another schema starts a new object.
 * Records need a value schema (Avro, Protobuf or JSON Schema converters, or JSON with schemas).
 */
public final class AvroFormat implements RecordFormat {

    @Override
    public void configure(DsseS3SinkConfig config) {
    }

    @Override
    public String name() {
        return RecordFormats.AVRO;
    }

    @Override
    public String extension() {
        return "avro";
    }

    @Override
    public boolean supportsCompression() {
        return false;
    }

    @Override
    public RecordWriter newWriter(OutputStream out) {
        return new AvroRecordWriter(out);
    }

    private static final class AvroRecordWriter implements RecordWriter {
        private final OutputStream out;
        private final ConnectAvroConverter converter = new ConnectAvroConverter();
        private final ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        private Schema connectSchema;
        private org.apache.avro.Schema avroSchema;
        private DataFileWriter<Object> fileWriter;
        private GenericDatumWriter<Object> datumWriter;
        private BinaryEncoder encoder;

        AvroRecordWriter(OutputStream out) {
            this.out = out;
        }

        @Override
        public boolean accepts(SinkRecord record) {
            return connectSchema == null || connectSchema.equals(record.valueSchema());
        }

        @Override
        public long write(SinkRecord record) throws IOException {
            if (record.valueSchema() == null) {
                throw new DataException("Record " + id(record) + " has no value schema; the avro format needs one");
            }
            if (record.value() == null && !record.valueSchema().isOptional()) {
                throw new DataException("Record " + id(record) + " has a null value, which its value schema does not allow");
            }
            if (fileWriter == null) {
                start(record);
            }
            Object datum;
            try {
                datum = converter.toAvroValue(connectSchema, record.value());
            } catch (RuntimeException e) {
                // The conversion does no I/O: a cast, a missing schema parameter or a null key is the record's fault.
                throw new DataException("Record " + id(record) + " cannot be converted to Avro: " + e.getMessage(), e);
            }

            // Encodes the datum first, so a record that does not fit its schema fails before anything reaches the container.
            encoded.reset();
            encoder = EncoderFactory.get().binaryEncoder(encoded, encoder);
            try {
                datumWriter.write(datum, encoder);
                encoder.flush();
            } catch (RuntimeException e) {
                throw new DataException("Record " + id(record) + " cannot be written as Avro: " + e.getMessage(), e);
            }
            fileWriter.appendEncoded(java.nio.ByteBuffer.wrap(encoded.toByteArray()));
            return encoded.size();
        }

        private void start(SinkRecord record) throws IOException {
            Schema schema = record.valueSchema();
            try {
                avroSchema = converter.toAvroSchema(schema);
            } catch (AvroRuntimeException | NumberFormatException | NullPointerException e) {
                // Avro names allow only [A-Za-z0-9_] (SchemaParseException), and a hand-built Decimal
                // schema may lack its scale parameter.
                throw new DataException("Record " + id(record) + " has a value schema that cannot be converted to Avro: "
                        + e.getMessage(), e);
            }
            connectSchema = schema;
            datumWriter = new GenericDatumWriter<>(avroSchema);
            fileWriter = new DataFileWriter<>(new GenericDatumWriter<>(avroSchema));
            fileWriter.create(avroSchema, new ShieldedOutputStream(out));
        }

        @Override
        public void finish() throws IOException {
            if (fileWriter != null) {
                fileWriter.close();
            }
        }

        private static String id(SinkRecord record) {
            return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
        }
    }
}
