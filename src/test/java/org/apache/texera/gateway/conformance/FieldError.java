package org.apache.texera.gateway.conformance;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One field error, printed the way the API server prints it (k8s.io/apimachinery {@code field.Error}):
 * {@code <path>: <Type>[: <value>][: <detail>]}. The type decides whether CEL rules still run (see
 * {@link #blocksCel()}), as in apiextensions-apiserver's {@code hasBlockingErr}.
 */
public record FieldError(Type type, String path, String message) {

    public enum Type {
        REQUIRED("Required value"), INVALID("Invalid value"), TYPE_INVALID("Invalid value"),
        NOT_SUPPORTED("Unsupported value"), TOO_LONG("Too long"), TOO_MANY("Too many"), DUPLICATE("Duplicate value"),
        FORBIDDEN("Forbidden"),
        /** Not a validation error: strict field validation refuses it at decoding, the default one prunes it. */
        UNKNOWN_FIELD("unknown field");

        final String text;

        Type(String text) {
            this.text = text;
        }
    }

    @Override
    public String toString() {
        return message;
    }

    /**
     * A type, required, enum or size failure: the API server then skips every CEL rule of the object, as
     * apiextensions-apiserver's {@code hasBlockingErr} does on the real tier's 1.36 (1.28 still ran CEL after an enum
     * error).
     */
    public boolean blocksCel() {
        return type == Type.REQUIRED || type == Type.TOO_LONG || type == Type.TOO_MANY
                || type == Type.TYPE_INVALID || type == Type.NOT_SUPPORTED;
    }

    static FieldError required(String path, String detail) {
        return new FieldError(Type.REQUIRED, path, path + ": Required value" + detail(detail));
    }

    static FieldError invalid(String path, Object value, String detail) {
        return new FieldError(Type.INVALID, path, path + ": Invalid value: " + goValue(value) + detail(detail));
    }

    /** An invalid value reported without the value, as a failed CEL rule is on 1.36 ({@code field.OmitValueType}). */
    static FieldError invalidOmittingValue(String path, String detail) {
        return new FieldError(Type.INVALID, path, path + ": Invalid value: " + detail);
    }

    static FieldError typeInvalid(String path, String expected, String found) {
        return new FieldError(Type.TYPE_INVALID, path, path + ": Invalid value: " + goQuote(found) + ": " + path
                + " in body must be of type " + expected + ": " + goQuote(found));
    }

    static FieldError notSupported(String path, Object value, List<String> supported) {
        String detail = supported.isEmpty() ? ""
                : "supported values: " + supported.stream().map(FieldError::goQuote).collect(Collectors.joining(", "));
        return new FieldError(Type.NOT_SUPPORTED, path, path + ": Unsupported value: " + goValue(value) + detail(detail));
    }

    static FieldError tooLong(String path, long max) {
        return new FieldError(Type.TOO_LONG, path, path + ": Too long: may not be more than " + max + " bytes");
    }

    static FieldError tooMany(String path, long actual, long max) {
        return new FieldError(Type.TOO_MANY, path, path + ": Too many: " + actual + ": must have at most " + max + " items");
    }

    static FieldError duplicate(String path, Object value) {
        return new FieldError(Type.DUPLICATE, path, path + ": Duplicate value: " + goValue(value));
    }

    static FieldError forbidden(String path, String detail) {
        return new FieldError(Type.FORBIDDEN, path, path + ": Forbidden" + detail(detail));
    }

    /** The strict field validation message; with the default (warn) the field is pruned, which is no better. */
    static FieldError unknownField(String path) {
        return new FieldError(Type.UNKNOWN_FIELD, path, "unknown field " + goQuote(path));
    }

    private static String detail(String detail) {
        return detail == null || detail.isEmpty() ? "" : ": " + detail;
    }

    /** Go's {@code %v}/{@code %q} rendering of a decoded JSON value, as {@code field.Error.ErrorBody} does. */
    static String goValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return goQuote(s);
        }
        if (value instanceof Double d) {
            return goFloat(d);
        }
        if (value instanceof Map<?, ?> map) {
            return "map[string]interface {}{" + new TreeMap<>(map).entrySet().stream()
                    .map(e -> goQuote(String.valueOf(e.getKey())) + ":" + goValue(e.getValue()))
                    .collect(Collectors.joining(", ")) + "}";
        }
        return String.valueOf(value);
    }

    /** Go's strconv.Quote for the characters a Kubernetes object carries. */
    static String goQuote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 11 -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** Go's {@code %v} of a float64 (strconv 'g', shortest): an exponent below 1e-4 and from 1e+06 on. */
    static String goFloat(double d) {
        if (d == 0) {
            return "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            String digits = shortest.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        return shortest.toPlainString();
    }
}
