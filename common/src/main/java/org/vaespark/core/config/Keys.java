package org.vaespark.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import java.util.Locale;
import org.vaespark.core.errors.Errors;

/** Typed, validated reads of configuration keys; every failure names the key and what is allowed. */
public final class Keys {
    private Keys() {
    }

    public static int positiveInt(Config c, String key) {
        int v = intValue(c, key);
        if (v <= 0) {
            throw Errors.badConfigValue(key, v, "an integer > 0");
        }
        return v;
    }

    public static int nonNegativeInt(Config c, String key) {
        int v = intValue(c, key);
        if (v < 0) {
            throw Errors.badConfigValue(key, v, "an integer >= 0");
        }
        return v;
    }

    public static long longValue(Config c, String key) {
        try {
            return c.getLong(key);
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue(key, c.getValue(key).unwrapped(), "an integer");
        }
    }

    public static int intValue(Config c, String key) {
        try {
            return c.getInt(key);
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue(key, c.getValue(key).unwrapped(), "an integer");
        }
    }

    public static double positiveDouble(Config c, String key) {
        double v = doubleValue(c, key);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw Errors.badConfigValue(key, v, "a finite number > 0");
        }
        return v;
    }

    public static double nonNegativeDouble(Config c, String key) {
        double v = doubleValue(c, key);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw Errors.badConfigValue(key, v, "a finite number >= 0");
        }
        return v;
    }

    /** A number in the open interval (0, 1). */
    public static double unitOpen(Config c, String key) {
        double v = doubleValue(c, key);
        if (!(v > 0 && v < 1)) {
            throw Errors.badConfigValue(key, v, "a number strictly between 0 and 1");
        }
        return v;
    }

    public static double doubleValue(Config c, String key) {
        try {
            return c.getDouble(key);
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue(key, c.getValue(key).unwrapped(), "a number");
        }
    }

    public static String string(Config c, String key) {
        try {
            return c.getString(key);
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue(key, c.getValue(key).unwrapped(), "a string");
        }
    }

    /** A string that must be set (reference.conf says {@code key = null} until the user sets it). */
    public static String requiredString(Config c, String key, String expected) {
        String v = optionalString(c, key);
        if (v == null) {
            throw Errors.badConfigValue(key, null, expected);
        }
        return v;
    }

    /** A string or null (reference.conf says {@code key = null}). */
    public static String optionalString(Config c, String key) {
        return c.getIsNull(key) ? null : string(c, key);
    }

    /** An integer or null. */
    public static Integer optionalPositiveInt(Config c, String key) {
        return c.getIsNull(key) ? null : positiveInt(c, key);
    }

    public static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue(key, c.getValue(key).unwrapped(), "true or false");
        }
    }

    /** A list of integers > 0 (may be empty). */
    public static List<Integer> positiveIntList(Config c, String key) {
        List<Integer> list;
        try {
            list = c.getIntList(key);
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue(key, c.getValue(key).unwrapped(), "a list of integers, e.g. [300, 300] or []");
        }
        for (int v : list) {
            if (v <= 0) {
                throw Errors.badConfigValue(key, list, "a list of integers > 0, e.g. [300, 300] or []");
            }
        }
        return List.copyOf(list);
    }

    /** A lower-case enum name from a closed set. */
    public static <E extends Enum<E>> E enumValue(Config c, String key, Class<E> type) {
        String raw = string(c, key);
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder("one of:");
            for (E constant : type.getEnumConstants()) {
                allowed.append(' ').append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw Errors.badConfigValue(key, raw, allowed.toString());
        }
    }
}
