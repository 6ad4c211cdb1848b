package io.kmq.redelivery.internal;

import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators of {@link io.kmq.redelivery.TrackerSettings} that {@link ConfigDef} does not provide. */
public final class SettingsRules {

    /** What a legal application id is made of, for error messages. */
    public static final String APPLICATION_ID_CHARS = "a non-empty string of [a-zA-Z0-9._-]";

    private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    private SettingsRules() {
    }

    /** Whether {@code id} can be a Kafka Streams application id (it prefixes internal topic names). */
    public static boolean isLegalApplicationId(String id) {
        return LEGAL_ID.matcher(id).matches();
    }

    /** A legal application id, or empty for "derive it". */
    public static ConfigDef.Validator applicationId() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String id = value == null ? "" : value.toString();
                if (!id.isEmpty() && !isLegalApplicationId(id)) {
                    throw new ConfigException(name, value, "expected " + APPLICATION_ID_CHARS
                            + " of at most 200 characters, or empty to derive it");
                }
            }

            @Override
            public String toString() {
                return APPLICATION_ID_CHARS + ", or empty";
            }
        };
    }

    /** -1 (the broker default) or a positive replication factor. */
    public static ConfigDef.Validator replicationFactor() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                int factor = value == null ? 0 : ((Number) value).intValue();
                if (factor != -1 && factor < 1) {
                    throw new ConfigException(name, value, "expected -1 (broker default) or >= 1");
                }
            }

            @Override
            public String toString() {
                return "-1 or >= 1";
            }
        };
    }
}
