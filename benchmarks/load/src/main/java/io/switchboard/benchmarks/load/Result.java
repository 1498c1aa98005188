package io.switchboard.benchmarks.load;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The run's figures, printed as one JSON object on one line. Fields a scenario does not measure stay null. */
final class Result {
    private static final String[] FIELDS = {
        "scenario", "connections", "inFlight", "size", "tls", "deflate", "msgsPerSec", "mbPerSec",
        "p50us", "p99us", "p999us", "serverCpuUsPerMsg", "serverCpuUtil", "generatorCpuUtil",
        "handshakesPerSec", "heapPerIdleConnection", "failedHandshakes", "messages",
        "deliveriesPerSec", "serverCpuUsPerDelivery", "deliveries",
        "paceMs", "baselinePauseP50us", "baselinePauseP99us", "baselinePauseMaxUs", "baselineSilenceUs",
        "baselineDelayP99us", "baselineSilenceStartNanos", "baselineDelayProfileUs", "swapPauseP50us",
        "swapPauseP99us", "swapPauseMaxUs", "swapSilenceUs", "swapDelayP99us", "swapSilenceStartNanos",
        "swapDelayProfileUs",
        "windowMessages", "messagesLost", "connectionsClosed", "sendsSkipped", "swapVariant", "swapTriggerNanos",
        "swapWindowStartNanos", "swapWindowEndNanos",
    };

    private final Map<String, Object> fields = new LinkedHashMap<>();

    Result(Options options) {
        for (String field : FIELDS) {
            fields.put(field, null);
        }
        put("scenario", options.scenario.name());
        put("connections", options.connections);
        put("tls", options.tls);
        put("deflate", options.deflate);
    }

    Result put(String field, Object value) {
        if (!fields.containsKey(field)) {
            throw new IllegalArgumentException("not a result field: " + field);
        }
        fields.put(field, value);
        return this;
    }

    String toJson() {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(field.getKey()).append("\":").append(value(field.getValue()));
        }
        return json.append('}').toString();
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "null";
            }
            return String.format(Locale.ROOT, "%.3f", d);
        }
        if (value instanceof long[] values) {
            return Arrays.toString(values).replace(" ", "");
        }
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return value.toString();
    }
}
