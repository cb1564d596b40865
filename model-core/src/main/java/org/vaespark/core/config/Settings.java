package org.vaespark.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vaespark.core.errors.Errors;

/**
 * Loads the layered HOCON configuration of a job: the defaults of every module's
 * {@code reference.conf}, then the user's files (later files win), then {@code key=value}
 * overrides. Every key the user sets must exist in a reference.conf: an unknown key is an
 * error that names the key, the file and line it came from, and the closest known keys.
 */
public final class Settings {
    private final Config resolved;

    private Settings(Config resolved) {
        this.resolved = resolved;
    }

    /** Loads the defaults plus the given files and overrides, rejecting unknown keys. */
    public static Settings load(List<String> files, List<String> overrides) {
        Config reference = ConfigFactory.defaultReference();
        Config user = ConfigFactory.empty();
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        List<String> reversed = new ArrayList<>(files);
        java.util.Collections.reverse(reversed);
        for (String file : files) {
            File f = new File(file);
            if (!f.isFile()) {
                throw Errors.missingInput(file, "a HOCON configuration file");
            }
        }
        Config fromFiles = ConfigFactory.empty();
        for (String file : files) {
            fromFiles = parseFile(new File(file)).withFallback(fromFiles);
        }
        user = user.withFallback(fromFiles);
        rejectUnknownKeys(user, reference);
        try {
            return new Settings(user.withFallback(reference).resolve());
        } catch (ConfigException e) {
            throw Errors.unreadableConfig(String.valueOf(e.origin() == null ? "configuration" : e.origin().description()),
                    e.getMessage(), e);
        }
    }

    /** Defaults only, plus overrides: what tests and programmatic callers use. */
    public static Settings defaults(String... overrides) {
        return load(List.of(), List.of(overrides));
    }

    /** The resolved configuration, for the typed records' {@code from(Config)} factories. */
    public Config config() {
        return resolved;
    }

    /** A copy with more overrides applied on top (still checked for unknown keys). */
    public Settings with(String... overrides) {
        Config user = ConfigFactory.empty();
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        rejectUnknownKeys(user, ConfigFactory.defaultReference());
        return new Settings(user.withFallback(resolved).resolve());
    }

    /** The resolved configuration as JSON (for metadata files and logs). */
    public String toJson() {
        return resolved.root().render(ConfigRenderOptions.concise());
    }

    /** Rebuilds settings from JSON written by {@link #toJson()} (e.g. from a checkpoint). */
    public static Settings fromJson(String json, String origin) {
        try {
            Config stored = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setOriginDescription(origin));
            return new Settings(stored.withFallback(ConfigFactory.defaultReference()).resolve());
        } catch (ConfigException e) {
            throw Errors.unreadableConfig(origin, e.getMessage(), e);
        }
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw Errors.badArgument(override, "an override must have the form key=value",
                    "write e.g. train.epochs=5 or model.encoder.hidden=[300,300]");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        try {
            return ConfigFactory.parseString(key + " = " + quoteIfNeeded(value),
                    ConfigParseOptions.defaults().setOriginDescription("override '" + override + "'"));
        } catch (ConfigException e) {
            throw Errors.unreadableConfig("override '" + override + "'", e.getMessage(), e);
        }
    }

    /** Values such as paths with ':' or '/' are taken as strings unless they are HOCON lists/objects. */
    private static String quoteIfNeeded(String value) {
        if (value.isEmpty() || value.startsWith("[") || value.startsWith("{") || value.startsWith("\"")) {
            return value;
        }
        if (value.matches("[A-Za-z0-9_.+-]+")) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Config parseFile(File file) {
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw Errors.unreadableConfig(file.getPath(), e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config user, Config reference) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            known.add(e.getKey());
        }
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!reference.hasPathOrNull(key)) {
                String origin = e.getValue().origin() == null ? "configuration" : e.getValue().origin().description();
                throw Errors.unknownConfigKey(key, origin, known);
            }
        }
    }
}
