package io.github.dssesink.connector.format;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts Connect schemas and values to Avro, for the usual types: primitives, Struct, array,
 * map, optional fields (as unions with null), and the logical types Decimal, Date, Time and
 * Timestamp. A map with string keys becomes an Avro map, and any other map becomes an array of
 * key-value records.
 *
 * <p>NOTE: Connect schema parameters other than the decimal scale, and default values of fields,
 * are not carried into the Avro schema.
 */
final class ConnectAvroConverter {

    private static final String DEFAULT_RECORD_NAME = "ConnectDefault";
    private static final int DEFAULT_DECIMAL_PRECISION = 64;

    private final Map<Schema, org.apache.avro.Schema> converted = new IdentityHashMap<>();
    private final Map<String, org.apache.avro.Schema> recordsByName = new HashMap<>();
    private int anonymousRecords;

    /** Converts a value schema; the returned schema is the same object for the same Connect schema. */
    org.apache.avro.Schema toAvroSchema(Schema schema) {
        org.apache.avro.Schema cached = converted.get(schema);
        if (cached != null) {
            return cached;
        }
        org.apache.avro.Schema avro = nonNullSchema(schema);
        if (schema.isOptional()) {
            avro = org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), avro);
        }
        converted.put(schema, avro);
        return avro;
    }

    private org.apache.avro.Schema nonNullSchema(Schema schema) {
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            return LogicalTypes.decimal(DEFAULT_DECIMAL_PRECISION, scale).addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(schema.name())) {
            return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (Time.LOGICAL_NAME.equals(schema.name())) {
            return LogicalTypes.timeMillis().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
            return LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
            case INT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
            case FLOAT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            case BYTES -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
            case ARRAY -> org.apache.avro.Schema.createArray(toAvroSchema(schema.valueSchema()));
            case MAP -> mapSchema(schema);
            case STRUCT -> recordSchema(schema);
        };
    }

    private org.apache.avro.Schema mapSchema(Schema schema) {
        if (schema.keySchema().type() == Schema.Type.STRING && !schema.keySchema().isOptional()) {
            return org.apache.avro.Schema.createMap(toAvroSchema(schema.valueSchema()));
        }
        org.apache.avro.Schema entry = SchemaBuilder.record(DEFAULT_RECORD_NAME + "MapEntry" + (++anonymousRecords))
                .namespace("io.github.dssesink.connect.avro")
                .fields()
                .name("key").type(toAvroSchema(schema.keySchema())).noDefault()
                .name("value").type(toAvroSchema(schema.valueSchema())).noDefault()
                .endRecord();
        return org.apache.avro.Schema.createArray(entry);
    }

    private org.apache.avro.Schema recordSchema(Schema schema) {
        String fullName = schema.name() != null ? schema.name()
                : "io.github.dssesink.connect.avro." + DEFAULT_RECORD_NAME + (++anonymousRecords);
        org.apache.avro.Schema existing = recordsByName.get(fullName);
        if (existing != null) {
            // The same name twice in one schema is legal in Avro only for the same definition.
            fullName = fullName + (++anonymousRecords);
        }
        int dot = fullName.lastIndexOf('.');
        String name = dot < 0 ? fullName : fullName.substring(dot + 1);
        String namespace = dot < 0 ? null : fullName.substring(0, dot);
        org.apache.avro.Schema record = org.apache.avro.Schema.createRecord(name, schema.doc(), namespace, false);
        recordsByName.put(fullName, record);
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
        for (Field field : schema.fields()) {
            Object defaultValue = field.schema().isOptional() ? JsonProperties.NULL_VALUE : null;
            fields.add(new org.apache.avro.Schema.Field(field.name(), toAvroSchema(field.schema()), field.schema().doc(), defaultValue));
        }
        record.setFields(fields);
        return record;
    }

    /** Converts a value of {@code schema} to the Avro generic representation of {@link #toAvroSchema}. */
    Object toAvroValue(Schema schema, Object value) {
        if (value == null) {
            if (!schema.isOptional()) {
                throw new DataException("null value for a required field of type " + schema.type());
            }
            return null;
        }
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            return ByteBuffer.wrap(((BigDecimal) value).unscaledValue().toByteArray());
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(schema.name())) {
            return org.apache.kafka.connect.data.Date.fromLogical(schema, (Date) value);
        }
        if (Time.LOGICAL_NAME.equals(schema.name())) {
            return Time.fromLogical(schema, (Date) value);
        }
        if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
            return Timestamp.fromLogical(schema, (Date) value);
        }
        return switch (schema.type()) {
            case INT8 -> ((Byte) value).intValue();
            case INT16 -> ((Short) value).intValue();
            case INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING -> value;
            case BYTES -> value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
            case ARRAY -> arrayValue(schema, (List<?>) value);
            case MAP -> mapValue(schema, (Map<?, ?>) value);
            case STRUCT -> recordValue((Struct) value);
        };
    }

    private Object arrayValue(Schema schema, List<?> list) {
        List<Object> result = new ArrayList<>(list.size());
        for (Object element : list) {
            result.add(toAvroValue(schema.valueSchema(), element));
        }
        return new GenericData.Array<>(nonNull(toAvroSchema(schema)), result);
    }

    private Object mapValue(Schema schema, Map<?, ?> map) {
        org.apache.avro.Schema avro = nonNull(toAvroSchema(schema));
        if (avro.getType() == org.apache.avro.Schema.Type.MAP) {
            Map<String, Object> result = new HashMap<>();
            map.forEach((key, value) -> result.put((String) key, toAvroValue(schema.valueSchema(), value)));
            return result;
        }
        org.apache.avro.Schema entrySchema = avro.getElementType();
        List<Object> entries = new ArrayList<>(map.size());
        map.forEach((key, value) -> {
            GenericData.Record entry = new GenericData.Record(entrySchema);
            entry.put("key", toAvroValue(schema.keySchema(), key));
            entry.put("value", toAvroValue(schema.valueSchema(), value));
            entries.add(entry);
        });
        return new GenericData.Array<>(avro, entries);
    }

    private Object recordValue(Struct struct) {
        org.apache.avro.Schema avro = nonNull(toAvroSchema(struct.schema()));
        GenericData.Record record = new GenericData.Record(avro);
        for (Field field : struct.schema().fields()) {
            try {
                record.put(field.name(), toAvroValue(field.schema(), struct.get(field)));
            } catch (ClassCastException | DataException e) {
                throw new DataException("field '" + field.name() + "': " + e.getMessage(), e);
            }
        }
        return record;
    }

    private static org.apache.avro.Schema nonNull(org.apache.avro.Schema schema) {
        if (schema.getType() == org.apache.avro.Schema.Type.UNION) {
            return schema.getTypes().get(1);
        }
        return schema;
    }
}
